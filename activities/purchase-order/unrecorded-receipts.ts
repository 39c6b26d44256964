import { and, eq, or, type Filter } from '../../connectors';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { purchaseOrderReceiptProducts } from '../../connectors/entities/dataverse';
import { productReceiptLines } from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { KEYS_PER_QUERY } from '../key-filters';

const anyOf = (filters: Filter[]) => or(filters[0]!, ...filters.slice(1));

function chunks<T>(values: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < values.length; start += KEYS_PER_QUERY)
    result.push(values.slice(start, start + KEYS_PER_QUERY));
  return result;
}

/**
 * F&O product receipts whose stock Field Service has not booked yet (their purchase order workflow has
 * not recorded them), per level `["<item>","<warehouse>"]`, each with the receipts behind it. The on-hand
 * sync leaves such a level for a later run: booking F&O's difference now, and the receipt's journal when
 * the workflow records it, would count the receipt twice.
 */
export async function unrecordedReceipts(
  dataverse: DataverseClient,
  finance: FinanceClient,
  levels: readonly { item: string; warehouse: string }[],
): Promise<Map<string, string[]>> {
  const lines: { recordId: number; level: string; receipt: string }[] = [];
  for (const chunk of chunks(levels)) {
    const filter = anyOf(
      chunk.map(({ item, warehouse }) =>
        and(eq('ProductNumber', item), eq('ReceivingWarehouseId', warehouse)),
      ),
    );
    for await (const line of finance.query(productReceiptLines, { filter })) {
      lines.push({
        recordId: line.RecordId,
        level: JSON.stringify([line.ProductNumber ?? '', line.ReceivingWarehouseId ?? '']),
        receipt: `product receipt of purchase order ${line.PurchaseOrderNumber ?? '?'}`,
      });
    }
  }
  const recorded = new Set<number>();
  for (const chunk of chunks(lines)) {
    const filter = anyOf(chunk.map((line) => eq('msdyn_recordid', line.recordId)));
    for await (const row of dataverse.query(purchaseOrderReceiptProducts, {
      filter,
      select: ['msdyn_recordid'],
    }))
      recorded.add(Number(row.msdyn_recordid));
  }
  const waiting = new Map<string, string[]>();
  for (const line of lines) {
    if (recorded.has(line.recordId)) continue;
    const receipts = waiting.get(line.level) ?? [];
    if (!receipts.includes(line.receipt)) receipts.push(line.receipt);
    waiting.set(line.level, receipts);
  }
  return waiting;
}
