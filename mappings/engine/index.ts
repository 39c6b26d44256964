/**
 * The mapping engine: turns source records into destination payloads as a mapping project says.
 *
 * It runs inside Temporal workflow code as well as in activities and the CLI. Workflow code is
 * replayed from history, so everything here is pure and deterministic: no I/O, no clock, no
 * randomness, no Node built-ins (ESLint forbids those in workflows/). Related records are fetched by
 * activities beforehand (`requiredLookups` says which) and passed in as data. Loading and validating
 * a project file is I/O and lives in `mappings/project/loader.ts`.
 */
export type { DocumentMapping, SourceDocument, SourceRecord, TaskList } from './header-with-lines';
export { findTask, mapHeaderWithLines, mapWorkOrder } from './header-with-lines';
export type { RequiredLookup } from './lookups';
export { requiredLookups, sourceFields } from './lookups';
export type { DestinationPayload, LookupBinding, RelatedRecords, SourceValues } from './map-record';
export { mapRecord, selectsRecord } from './map-record';
export { MissingTaskError } from './missing-task-error';
export { RecordMappingError } from './record-mapping-error';
