import type { Task } from '../project/schema';
import type { DestinationPayload, RelatedRecords, SourceValues } from './map-record';
import { mapRecord, selectsRecord } from './map-record';
import { MissingTaskError } from './missing-task-error';

/** A fetched source record with the related records its task needs (see `requiredLookups`). */
export interface SourceRecord {
  record: SourceValues;
  related?: RelatedRecords;
}

/** A header record and its lines, keyed by the lines' source entity set. */
export interface SourceDocument {
  header: SourceRecord;
  lines: Readonly<Record<string, readonly SourceRecord[]>>;
}

export type DocumentMapping =
  | { synced: false; reason: string }
  | { synced: true; header: DestinationPayload; lines: DestinationPayload[] };

export interface TaskList {
  readonly tasks: readonly Task[];
}

/**
 * Maps a header and its lines the way the Data Integrator runs a template's tasks: the header task
 * first; then each line task, in project order, over the lines its filter selects. A header its
 * filter rejects syncs nothing. Lines are evaluated with the header's current values for the columns
 * they mirror, so one snapshot decides both.
 */
export function mapHeaderWithLines(
  project: TaskList,
  headerTask: Task,
  document: SourceDocument,
): DocumentMapping {
  const header = document.header.record;
  if (!selectsRecord(headerTask, header)) {
    return { synced: false, reason: `the ${headerTask.name} filter excludes it: ${headerTask.filter}` };
  }
  const lines: DestinationPayload[] = [];
  for (const task of project.tasks) {
    if (task.parent?.task !== headerTask.name) continue;
    for (const line of document.lines[task.source] ?? []) {
      const record = { ...line.record };
      for (const [lineField, headerField] of Object.entries(task.parent.mirroredFields ?? {})) {
        record[lineField] = header[headerField];
      }
      if (!selectsRecord(task, record)) continue;
      lines.push(mapRecord(task, record, { ...line.related, [task.parent.lookup]: header }));
    }
  }
  return { synced: true, header: mapRecord(headerTask, header, document.header.related), lines };
}

export function findTask<T extends Task>(
  project: { readonly tasks: readonly T[] },
  predicate: (task: T) => boolean,
  what: string,
): T {
  const task = project.tasks.find(predicate);
  if (task === undefined) throw new MissingTaskError(what);
  return task;
}

/**
 * Work order → sales order. Which value a line sends (Estimated or Used) follows from the template's
 * task filters alone, evaluated here exactly as Dataverse would evaluate them.
 */
export function mapWorkOrder(project: TaskList, workOrder: SourceDocument): DocumentMapping {
  const headerTask = findTask(project, (task) => task.source === 'msdyn_workorders', 'work order task');
  return mapHeaderWithLines(project, headerTask, workOrder);
}
