import type { DestinationPayload } from '../../mappings/engine';
import { businessFailure } from '../business-failure';

/**
 * The header fields that say which process created an F&O sales order. Microsoft's template maps
 * `SalesOrderOriginType` = WorkOrderIntegration; a project may map an origin code of that type instead.
 */
const ORIGIN_FIELDS = ['SalesOrderOriginType', 'SalesOrderOriginCode'] as const;

/** The origin fields the project's header task writes, with the values it writes. */
export function originOf(header: DestinationPayload): Record<string, string> {
  return Object.fromEntries(
    ORIGIN_FIELDS.flatMap((field) => {
      const value = header.values[field];
      return value === undefined || value === null || value === '' ? [] : [[field, String(value)]];
    }),
  );
}

const same = (stored: unknown, written: string) =>
  String(stored ?? '').toLowerCase() === written.toLowerCase();

/**
 * An existing F&O order of the work order's number that does not carry the origin this integration
 * writes was created by someone else (the number sequences overlap): it is never changed. A project
 * whose header task maps no origin cannot tell, and every order of the number is taken as its own.
 */
export function refuseForeignOrder(
  workOrderNumber: string,
  company: string,
  origin: Readonly<Record<string, string>>,
  existing: Readonly<Record<string, unknown>>,
): void {
  const differing = Object.entries(origin).filter(([field, value]) => !same(existing[field], value));
  if (differing.length === 0) return;
  const stored = differing
    .map(([field, value]) => `${field} ${JSON.stringify(existing[field] ?? '')}, not ${value}`)
    .join(', ');
  throw businessFailure(
    `Work order ${workOrderNumber}: F&O company ${company} already has a sales order ` +
      `${String(existing.SalesOrderNumber)} that this integration did not create (${stored}); it is left ` +
      'unchanged. Field Service work order numbers and F&O sales order numbers overlap: give the work order ' +
      "a number outside F&O's sales order number sequence (and keep the sequences apart), or, if that F&O " +
      "order really is this work order's, set its sales origin to the work order integration's in F&O; then retry",
    'ForeignSalesOrder',
  );
}
