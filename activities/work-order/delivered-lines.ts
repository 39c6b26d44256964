import type { DestinationPayload } from '../../mappings/engine';
import { businessFailure } from '../business-failure';

/**
 * Statuses of a sales order line F&O has moved stock or posted an invoice for. `CDSSalesOrderLines`
 * exposes the delivery only as `SalesOrderLineStatus`: Backorder (open), Delivered, Invoiced.
 */
const SETTLED = new Set(['Delivered', 'Invoiced']);

export const isSettled = (line: Readonly<Record<string, unknown>>): boolean =>
  SETTLED.has(String(line.SalesOrderLineStatus));

/** Equal as F&O stores it: numbers within rounding, text regardless of case and padding. */
function same(stored: unknown, wanted: unknown): boolean {
  if (typeof wanted === 'number') return Math.abs(Number(stored) - wanted) < 1e-6;
  return (
    String(stored ?? '')
      .trim()
      .toLowerCase() ===
    String(wanted ?? '')
      .trim()
      .toLowerCase()
  );
}

function changes(line: DestinationPayload, stored: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(line.values)
    .filter(([field, value]) => !(field in line.key) && value !== null && value !== undefined)
    .filter(([field, value]) => !same(stored[field], value))
    .map(
      ([field, value]) =>
        `${field} ${JSON.stringify(stored[field])} in F&O, ${JSON.stringify(value)} in Field Service`,
    );
}

/**
 * Lines F&O has delivered or invoiced stay as they are: one Field Service removed or changed parks the
 * work order with nothing written. Returns the numbers of the settled lines that need no write.
 */
export function settledLines(
  workOrderNumber: string,
  salesOrderNumber: string,
  wanted: ReadonlyMap<number, DestinationPayload>,
  existing: ReadonlyMap<number, Readonly<Record<string, unknown>>>,
): Set<number> {
  const problems: string[] = [];
  const untouched = new Set<number>();
  for (const [lineNumber, stored] of existing) {
    if (!isSettled(stored)) continue;
    const status = String(stored.SalesOrderLineStatus).toLowerCase();
    const line = wanted.get(lineNumber);
    if (line === undefined) {
      problems.push(`line ${lineNumber} was removed in Field Service but is ${status} in F&O`);
      continue;
    }
    const changed = changes(line, stored);
    if (changed.length === 0) untouched.add(lineNumber);
    else
      problems.push(
        `line ${lineNumber} changed in Field Service but is ${status} in F&O (${changed.join(', ')})`,
      );
  }
  if (problems.length > 0) {
    throw businessFailure(
      `Work order ${workOrderNumber}: sales order ${salesOrderNumber} was not changed, because F&O has ` +
        `delivered or invoiced lines Field Service changed: ${problems.join('; ')}. Undo the change in Field ` +
        'Service (the line as F&O delivered it), or reverse it in F&O (cancel the packing slip; a credit note ' +
        'for an invoiced line), then retry',
      'DeliveredLineChanged',
    );
  }
  return untouched;
}
