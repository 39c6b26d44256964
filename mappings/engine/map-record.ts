import type { FieldMap, Task } from '../project/schema';
import { evaluateFilter, parseFilter } from './odata-filter';
import { RecordMappingError } from './record-mapping-error';
import { applyTransform, describeTransform } from './transforms';

export type SourceValues = Readonly<Record<string, unknown>>;

/**
 * Related records fetched for a source record, by the lookup column that points at them (see
 * `requiredLookups`). `null` means the lookup is empty on the source record.
 */
export type RelatedRecords = Readonly<Record<string, SourceValues | null>>;

/** A destination lookup to set by the natural key of the record it should point at. */
export interface LookupBinding {
  entity: string;
  field: string;
  value: unknown;
}

/** What to upsert into the destination. `dataAreaId` is left to the connection (FNO_COMPANY). */
export interface DestinationPayload {
  task: string;
  entity: string;
  key: Record<string, unknown>;
  values: Record<string, unknown>;
  bindings: Record<string, LookupBinding>;
}

const COMPANY_KEY = 'dataAreaId';

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

/** A column of the record itself: a name such as `constructor` must not read Object's. */
const column = (record: SourceValues, field: string) =>
  Object.hasOwn(record, field) ? record[field] : undefined;

function readValue(map: FieldMap, record: SourceValues, related: RelatedRecords): unknown {
  if (map.source !== undefined) return column(record, map.source);
  if (map.constant !== undefined) return map.constant;
  if (map.concatenate !== undefined) {
    return map.concatenate
      .map((field) => column(record, field))
      .filter((value) => !isEmpty(value))
      .join(map.separator ?? ' ');
  }
  if (map.related !== undefined) {
    const { lookup, field } = map.related;
    if (!Object.hasOwn(related, lookup)) {
      throw new RecordMappingError(
        `the record behind lookup ${lookup} was not supplied (requiredLookups lists what to fetch)`,
      );
    }
    const target = related[lookup];
    return target === null ? null : column(target, field);
  }
  return undefined;
}

const OMIT = Symbol('omit');

function mapValue(map: FieldMap, record: SourceValues, related: RelatedRecords): unknown {
  let value = readValue(map, record, related);
  if (!isEmpty(value) && map.valueMap !== undefined) {
    const entry = String(value);
    if (Object.hasOwn(map.valueMap, entry)) value = map.valueMap[entry];
    else if (map.unmapped === 'omit') return OMIT;
    else throw new RecordMappingError(`value ${JSON.stringify(value)} is not in the value map`);
  }
  for (const transform of map.transforms ?? []) {
    if (isEmpty(value)) break;
    try {
      value = applyTransform(value, transform);
    } catch (err) {
      if (!(err instanceof RecordMappingError)) throw err;
      throw new RecordMappingError(`${describeTransform(transform)}: ${err.message}`);
    }
  }
  return isEmpty(value) && map.default !== undefined ? map.default : value;
}

/** Whether the task's source filter selects this record (a task without a filter selects all). */
export function selectsRecord(task: Task, record: SourceValues): boolean {
  return task.filter === undefined || evaluateFilter(parseFilter(task.filter), record);
}

/**
 * Maps one source record to its destination payload. Pure: the related records come in as data,
 * fetched beforehand by an activity. Fields whose source column is absent from the record are left
 * out, so an upsert does not clear them; an explicit null is sent as null.
 */
export function mapRecord(
  task: Task,
  record: SourceValues,
  related: RelatedRecords = {},
): DestinationPayload {
  const payload: DestinationPayload = {
    task: task.name,
    entity: task.destination,
    key: {},
    values: {},
    bindings: {},
  };
  for (const map of task.fieldMaps) {
    let value: unknown;
    try {
      value = mapValue(map, record, related);
    } catch (err) {
      if (!(err instanceof RecordMappingError)) throw err;
      throw new RecordMappingError(`task ${task.name}, field ${map.target}: ${err.message}`);
    }
    if (value === undefined || value === OMIT) continue;
    if (map.bind !== undefined) {
      // An empty natural key points at nothing: the lookup is left as it is.
      if (!isEmpty(value)) payload.bindings[map.target] = { ...map.bind, value };
    } else payload.values[map.target] = value;
  }
  for (const field of task.key) {
    if (field === COMPANY_KEY) continue;
    const value = payload.values[field] ?? payload.bindings[field]?.value;
    if (isEmpty(value)) {
      throw new RecordMappingError(`task ${task.name}: key field ${field} has no value for this record`);
    }
    payload.key[field] = value;
  }
  return payload;
}
