import { eq, type Filter, guid } from '../../../connectors';
import { columnsOf } from '../../../connectors/dataverse/dataverse-client';
import { purchaseOrderReceiptProducts, purchaseOrderReceipts } from '../../../connectors/entities/dataverse';
import {
  type PurchaseOrderHeader,
  type PurchaseOrderLine,
  productReceiptHeaders,
  productReceiptLines,
  purchaseOrderHeaders,
  purchaseOrderLines,
} from '../../../connectors/entities/finance';
import { RecordMappingError, type SourceValues } from '../../../mappings/engine';
import type { PurchaseOrderSnapshot } from '../../purchase-order/contract';
import { mapPurchaseOrder } from '../../purchase-order/finance-purchase-order';
import { unique } from '../../dataverse-tables';
import {
  purchaseOrderColumns,
  resolvePurchaseOrders,
  splitLines,
} from '../../purchase-order/load-purchase-order';
import type { PurchaseOrderTasks } from '../../purchase-order/purchase-order-tasks';
import type { PageReading } from '../join';
import { collect, groupBy, rowsByKey, rowsByParent } from '../key-reads';
import type { WorkflowRun } from '../workflow-visibility';
import type { ExpectedOrder, FieldServiceOrderRows } from './compare';
import type { FieldServiceReceipt, FinanceReceipt } from './receipts';
import { PURCHASE_ORDER_WORKFLOWS } from './running-workflows';

const RECEIPT_LINES =
  'msdyn_msdyn_purchaseorderreceipt_msdyn_purchaseorderreceiptproduct_PurchaseOrderReceipt';
const RECEIPT_LINE_COLUMNS = [
  'msdyn_purchaseorderreceiptproductid',
  'msdyn_recordid',
  'msdyn_quantity',
  '_msdyn_purchaseorderreceipt_value',
] as const;
const receiptLineSchema = purchaseOrderReceiptProducts.schema.pick(
  Object.fromEntries(RECEIPT_LINE_COLUMNS.map((column) => [column, true])) as {
    [K in (typeof RECEIPT_LINE_COLUMNS)[number]]: true;
  },
);

/** Everything reconcile knows of one Field Service purchase order once its page is read. */
export interface PurchaseOrderFacts {
  number: string;
  modifiedOn?: string;
  /** The order as the workflow reads it: what F&O could not take, the values Field Service owns. */
  snapshot: PurchaseOrderSnapshot;
  fieldService: FieldServiceOrderRows;
  /** What the tasks to F&O make of it now; absent when it cannot be mapped. */
  expected?: ExpectedOrder;
  /** Why it cannot be mapped, if it cannot. */
  mappingProblem?: string;
  order?: PurchaseOrderHeader;
  orderLines: PurchaseOrderLine[];
  financeReceipts: FinanceReceipt[];
  fieldServiceReceipts: FieldServiceReceipt[];
  workflow?: WorkflowRun;
}

/** The columns reconcile reads besides the workflow's: what the tasks back write, and what Field Service adds up. */
export function purchaseOrderColumnsRead(tasks: PurchaseOrderTasks) {
  const written = (task: PurchaseOrderTasks['headerStatus']) =>
    task.fieldMaps.filter((map) => map.bind === undefined).map((map) => map.target);
  const columns = purchaseOrderColumns(tasks);
  return {
    header: unique([...columns.header, ...written(tasks.headerStatus), 'msdyn_totalamount']),
    lines: unique([...columns.lines, ...written(tasks.linePrices), 'msdyn_qtyreceived']),
  };
}

export type PurchaseOrderPageDeps = PageReading<
  PurchaseOrderTasks,
  ReturnType<typeof purchaseOrderColumnsRead>
>;

/** Rows of an F&O entity by purchase order number, one query per 50 orders, grouped by number in lower case. */
const byOrder = <T extends { PurchaseOrderNumber?: string }>(
  numbers: readonly string[],
  read: (filter: Filter) => AsyncIterable<T>,
) => rowsByKey('PurchaseOrderNumber', numbers, read, (row) => String(row.PurchaseOrderNumber));

/**
 * Reads both sides of a page of purchase orders (header rows as the page query returned them, lines
 * expanded): the related records the mapping reads, their F&O orders, lines, product receipts and
 * receipt lines, the Field Service receipts and receipt lines, and their workflows. Each read is one
 * query per 50 orders (or 100 for Temporal visibility), never one per order or per receipt.
 */
export async function readPurchaseOrderPage(
  deps: PurchaseOrderPageDeps,
  rows: readonly SourceValues[],
): Promise<PurchaseOrderFacts[]> {
  const { context, related, tasks } = deps;
  const { dataverse, finance, workflows } = context;

  const orders = await Promise.all(rows.map((row) => splitLines(dataverse, row)));
  const snapshots = await resolvePurchaseOrders(related, tasks, orders);
  const mapped = snapshots.map((snapshot) => {
    try {
      const mapping = mapPurchaseOrder(tasks, snapshot);
      if (!mapping.synced) return { mappingProblem: mapping.reason };
      const expected: ExpectedOrder = {
        header: mapping.header,
        lines: new Map(mapping.lines.map((line) => [Number(line.key.LineNumber), line])),
      };
      return { expected };
    } catch (err) {
      if (!(err instanceof RecordMappingError)) throw err;
      return { mappingProblem: err.message };
    }
  });

  const numbers = snapshots.map((snapshot) => snapshot.purchaseOrderNumber);
  const [headers, lines, receiptHeaders, receiptLines] = await Promise.all([
    byOrder(numbers, (filter) => finance.query(purchaseOrderHeaders, { filter })),
    byOrder(numbers, (filter) => finance.query(purchaseOrderLines, { filter })),
    byOrder(numbers, (filter) => finance.query(productReceiptHeaders, { filter })),
    byOrder(numbers, (filter) => finance.query(productReceiptLines, { filter })),
  ]);
  const fieldServiceReceipts = await readFieldServiceReceipts(
    deps,
    snapshots.map((snapshot) => snapshot.orderId),
  );
  const runs = await workflows.byKeys(PURCHASE_ORDER_WORKFLOWS.type, PURCHASE_ORDER_WORKFLOWS.key, numbers);
  return snapshots.map((snapshot, index): PurchaseOrderFacts => {
    const key = snapshot.purchaseOrderNumber.toLowerCase();
    const { header, lines: fieldServiceLines } = orders[index]!;
    const receiptLinesOf = groupBy(receiptLines.get(key) ?? [], (line) =>
      String(line.ProductReceiptHeaderRecordId),
    );
    return {
      number: snapshot.purchaseOrderNumber,
      modifiedOn: typeof header.modifiedon === 'string' ? header.modifiedon : undefined,
      snapshot,
      fieldService: {
        header,
        lines: new Map(fieldServiceLines.map((line) => [Number(line.msdyn_lineorder), line])),
      },
      ...mapped[index],
      order: headers.get(key)?.[0],
      orderLines: lines.get(key) ?? [],
      financeReceipts: (receiptHeaders.get(key) ?? [])
        .sort((a, b) => a.RecordId - b.RecordId)
        .map((receipt) => ({ header: receipt, lines: receiptLinesOf.get(String(receipt.RecordId)) ?? [] })),
      fieldServiceReceipts: fieldServiceReceipts.get(snapshot.orderId) ?? [],
      workflow: runs.get(snapshot.purchaseOrderNumber),
    };
  });
}

/**
 * The Field Service receipts of the orders with their lines expanded, one query per 50 orders; lines
 * Dataverse pages out of an expansion are read by receipt.
 */
async function readFieldServiceReceipts(
  deps: PurchaseOrderPageDeps,
  orderIds: readonly string[],
): Promise<Map<string, FieldServiceReceipt[]>> {
  const { dataverse } = deps.context;
  const rows = await rowsByParent('_msdyn_purchaseorder_value', orderIds, (filter) =>
    dataverse.query(purchaseOrderReceipts, {
      select: columnsOf(purchaseOrderReceipts.schema),
      filter,
      expand: [{ navigation: RECEIPT_LINES, select: RECEIPT_LINE_COLUMNS }],
    }),
  );
  const receipts = new Map<string, FieldServiceReceipt[]>();
  for (const [orderId, ofOrder] of rows) {
    const read: FieldServiceReceipt[] = [];
    for (const row of ofOrder) {
      const raw = row as Record<string, unknown>;
      const expanded =
        Array.isArray(raw[RECEIPT_LINES]) && !(`${RECEIPT_LINES}@odata.nextLink` in raw)
          ? (raw[RECEIPT_LINES] as unknown[]).map((line) => receiptLineSchema.parse(line))
          : await collect(
              dataverse.query(purchaseOrderReceiptProducts, {
                select: RECEIPT_LINE_COLUMNS,
                filter: eq('_msdyn_purchaseorderreceipt_value', guid(row.msdyn_purchaseorderreceiptid)),
              }),
            );
      read.push({
        id: row.msdyn_purchaseorderreceiptid,
        name: row.msdyn_name ?? '',
        recordId: row.msdyn_recordid,
        lines: expanded.map((line) => ({
          id: line.msdyn_purchaseorderreceiptproductid,
          recordId: line.msdyn_recordid,
          quantity: line.msdyn_quantity ?? 0,
        })),
      });
    }
    receipts.set(orderId, read);
  }
  return receipts;
}
