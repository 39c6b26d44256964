import type { RequestPreview } from '../../activities/work-order/preview';
import { show, type ValueDifference } from '../../activities/reconcile/value-differences';

/** A record's values as `Field value, Field value`, key fields left out. */
export const values = (record: Readonly<Record<string, unknown>>, key: readonly string[] = []): string =>
  Object.entries(record)
    .filter(([field]) => !key.includes(field))
    .map(([field, value]) => `${field} ${show(value)}`)
    .join(', ');

/** One difference per line: a header field, a line added or removed, a line's field. */
export function describeDifference(difference: ValueDifference, document: string): string {
  const where = difference.line === undefined ? 'header' : `line ${difference.line}`;
  if (difference.field === 'line') {
    return difference.finance === null ? `${where}: added` : `${where}: removed (only in F&O)`;
  }
  return `${where} ${difference.field}: F&O ${show(difference.finance)}, ${document} ${show(difference.fieldService)}`;
}

const keyText = (key: Readonly<Record<string, unknown>>) =>
  Object.entries(key)
    .map(([field, value]) => `${field}=${show(value)}`)
    .join(',');

/** The writes a sync would send, one per line, grouped by change set. */
export function describeRequests(requests: readonly RequestPreview[]): string[] {
  return requests.map(
    (request) =>
      `  ${request.method.padEnd(6)} ${request.entitySet}(${keyText(request.key)})  [${request.changeSet} change set]`,
  );
}
