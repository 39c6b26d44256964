import { D365Error, eq, type ODataValue } from '../../connectors';
import { purchaseOrderHeaders, purchaseOrderLines, vendors } from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { type DocumentMapping, type DestinationPayload, mapHeaderWithLines } from '../../mappings/engine';
import { differences } from '../agreement-invoice/posted-differences';
import { businessFailure } from '../business-failure';
import { financeValues } from '../finance-entities';
import type { FinanceSyncOutcome, PurchaseOrderSnapshot } from './contract';
import type { PurchaseOrderTasks } from './purchase-order-tasks';

const withoutKey = (payload: DestinationPayload) =>
  financeValues(
    Object.fromEntries(Object.entries(payload.values).filter(([field]) => !(field in payload.key))),
  );

async function retrieveOrNothing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof D365Error && error.kind === 'not-found') return undefined;
    throw error;
  }
}

/** The F&O order and lines the tasks to F&O make of a Field Service purchase order now. */
export const mapPurchaseOrder = (
  tasks: Pick<PurchaseOrderTasks, 'header' | 'lines'>,
  snapshot: PurchaseOrderSnapshot,
): DocumentMapping =>
  mapHeaderWithLines({ tasks: [tasks.header, tasks.lines] }, tasks.header, snapshot.records);

/**
 * Writes a submitted Field Service purchase order to F&O: reads the vendor and the order (and its
 * lines when it exists), then one change set with the header and every line keyed by line number, so a
 * retry, a crash or a duplicate start never leaves half an order or a second one. Once F&O's approval
 * status has left Draft, a difference is refused with the reason, and F&O is not touched.
 */
export async function syncPurchaseOrderToFinance(
  finance: FinanceClient,
  tasks: Pick<PurchaseOrderTasks, 'header' | 'lines'>,
  snapshot: PurchaseOrderSnapshot,
): Promise<FinanceSyncOutcome> {
  const number = snapshot.purchaseOrderNumber;
  if (snapshot.problems.length > 0)
    throw businessFailure(
      `Purchase order ${number} cannot go to F&O: ${snapshot.problems.join('; ')}`,
      'InvalidPurchaseOrder',
    );
  const mapping = mapPurchaseOrder(tasks, snapshot);
  if (!mapping.synced) throw businessFailure(`Purchase order ${number} does not sync: ${mapping.reason}`);
  const vendor = String(mapping.header.values.OrderVendorAccountNumber);
  const known = await retrieveOrNothing(() =>
    finance.retrieve(vendors, { VendorAccountNumber: vendor }, { select: ['VendorAccountNumber'] }),
  );
  if (!known)
    throw businessFailure(
      `Purchase order ${number}: vendor ${vendor} does not exist in F&O company ${finance.company}; ` +
        'create the vendor in F&O (vendors flow from F&O to Field Service) or choose another, then retry',
      'UnknownVendor',
    );

  const key = { PurchaseOrderNumber: number };
  const existing = await retrieveOrNothing(() => finance.retrieve(purchaseOrderHeaders, key));
  const existingLines = new Map<number, Record<string, unknown>>();
  if (existing) {
    for await (const line of finance.query(purchaseOrderLines, {
      filter: eq('PurchaseOrderNumber', number),
    })) {
      existingLines.set(line.LineNumber, line);
    }
  }
  const lines = mapping.lines;
  if (existing) {
    const changes = differences(mapping.header, existing, lines, existingLines);
    if (changes.length === 0) return 'unchanged';
    if (existing.DocumentApprovalStatus !== 'Draft') {
      throw businessFailure(
        `Purchase order ${number} changed in Field Service after F&O's approval status became ` +
          `${String(existing.DocumentApprovalStatus)} (${changes.join('; ')}); F&O's order was not changed. ` +
          'Undo the change in Field Service, or have procurement request a change in F&O (back to Draft); ' +
          'the workflow retries when either happens',
        'PurchaseOrderApproved',
      );
    }
  }
  const wanted = new Set(lines.map((line) => Number(line.key.LineNumber)));
  const operations = [
    existing
      ? finance.updateOperation(purchaseOrderHeaders, key, withoutKey(mapping.header))
      : finance.createOperation(purchaseOrderHeaders, financeValues(mapping.header.values)),
    ...lines.map((line) =>
      existingLines.has(Number(line.key.LineNumber))
        ? finance.updateOperation(
            purchaseOrderLines,
            line.key as Record<'PurchaseOrderNumber' | 'LineNumber', ODataValue>,
            withoutKey(line),
          )
        : finance.createOperation(purchaseOrderLines, financeValues(line.values)),
    ),
    ...[...existingLines.keys()]
      .filter((lineNumber) => !wanted.has(lineNumber))
      .map((LineNumber) => ({
        method: 'DELETE' as const,
        path: `${finance.recordPath(purchaseOrderLines, { PurchaseOrderNumber: number, LineNumber })}?cross-company=true`,
      })),
  ];
  await finance.batch([operations]);
  return existing ? 'updated' : 'created';
}
