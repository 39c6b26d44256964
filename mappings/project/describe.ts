import { describeTransform } from '../engine/transforms';
import type { ProjectFieldMap } from './merge';

const quote = (value: unknown) => JSON.stringify(value);

/** Where a field map's value comes from, in words: `msdyn_name`, `msdyn_unit → uoms.name`, `"Yes"`. */
export function describeSource(map: ProjectFieldMap): string {
  if (map.source !== undefined) return map.source;
  if (map.related !== undefined) return `${map.related.lookup} → ${map.related.entity}.${map.related.field}`;
  if (map.concatenate !== undefined)
    return `${map.concatenate.join(' + ')} (sep ${quote(map.separator ?? ' ')})`;
  if (map.constant !== undefined) return `constant ${quote(map.constant)}`;
  return `default ${quote(map.default)}`;
}

/** What happens to the value on its way: value map, transforms, default, lookup binding. */
export function describeSteps(map: ProjectFieldMap): string {
  const steps: string[] = [];
  if (map.valueMap !== undefined) {
    const entries = Object.entries(map.valueMap).map(([from, to]) => `${from}→${String(to)}`);
    steps.push(`map ${entries.join(', ')}${map.unmapped === 'omit' ? ' (others omitted)' : ''}`);
  }
  steps.push(...(map.transforms ?? []).map(describeTransform));
  const hasSource = map.source ?? map.related ?? map.concatenate ?? map.constant;
  if (map.default !== undefined && hasSource !== undefined) steps.push(`default ${quote(map.default)}`);
  if (map.bind !== undefined) steps.push(`bind by ${map.bind.entity}.${map.bind.field}`);
  return steps.join('; ');
}
