import type { Task } from '../project/schema';
import { filterFields, parseFilter } from './odata-filter';

/** One related record an activity must fetch before `mapRecord`, and the columns to select from it. */
export interface RequiredLookup {
  /** The lookup column on the source record; Dataverse returns its id as `_<lookup>_value`. */
  lookup: string;
  entity: string;
  fields: string[];
}

/**
 * The related records a task's field maps read, grouped by lookup, in field-map order. Pass the
 * fetched records to `mapRecord` keyed by `lookup`. A line task's parent lookup is listed too;
 * `mapHeaderWithLines` fills it from the header it is given.
 */
export function requiredLookups(task: Task): RequiredLookup[] {
  const byLookup = new Map<string, RequiredLookup>();
  for (const { related } of task.fieldMaps) {
    if (related === undefined) continue;
    const entry = byLookup.get(related.lookup) ?? {
      lookup: related.lookup,
      entity: related.entity,
      fields: [],
    };
    if (!entry.fields.includes(related.field)) entry.fields.push(related.field);
    byLookup.set(related.lookup, entry);
  }
  return [...byLookup.values()];
}

/**
 * The columns to `$select` on the source record: those its field maps and filter read (lookups as
 * Dataverse reads them, `_<lookup>_value`), except the ones a line mirrors from its header.
 */
export function sourceFields(task: Task): string[] {
  const fields = new Set<string>();
  for (const map of task.fieldMaps) {
    if (map.source !== undefined) fields.add(map.source);
    if (map.related !== undefined) fields.add(`_${map.related.lookup}_value`);
    for (const field of map.concatenate ?? []) fields.add(field);
  }
  const mirrored = new Set(Object.keys(task.parent?.mirroredFields ?? {}));
  for (const field of task.filter === undefined ? [] : filterFields(parseFilter(task.filter))) {
    if (!mirrored.has(field)) fields.add(field);
  }
  return [...fields];
}
