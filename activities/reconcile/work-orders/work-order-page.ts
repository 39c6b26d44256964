import type { Invoice } from '../../../connectors/entities/dataverse';
import { invoices, WorkOrderSystemStatus } from '../../../connectors/entities/dataverse';
import {
  type SalesInvoiceHeader,
  salesInvoiceHeaders,
  type SalesOrderHeader,
  type SalesOrderLine,
  salesOrderHeaders,
  salesOrderLines,
} from '../../../connectors/entities/finance';
import type { Filter } from '../../../connectors';
import { mapRecord, mapWorkOrder, RecordMappingError, type SourceValues } from '../../../mappings/engine';
import { dataverseTableOf } from '../../dataverse-tables';
import {
  resolveWorkOrders,
  splitExpansions,
  type workOrderColumns,
  type WorkOrderRows,
} from '../../work-order/load-work-order';
import { INVOICE_NUMBER_COLUMN } from '../../work-order/work-order-status';
import type { WorkOrderTasks } from '../../work-order/work-order-tasks';
import type { PageReading } from '../join';
import { groupBy, rowsByKey, rowsByParent } from '../key-reads';
import type { WorkflowRun } from '../workflow-visibility';
import type { ExpectedOrder } from './compare';
import { WORK_ORDER_WORKFLOWS } from './running-workflows';

const PARENT_COLUMN = '_msdyn_workorder_value';

/** Everything reconcile knows of one work order once its page is read: both sides and its workflow. */
export interface WorkOrderFacts {
  number: string;
  modifiedOn?: string;
  canceled: boolean;
  /** The F&O invoice the work order names (`msdynce_invoicenumber`), once its workflow recorded one. */
  invoiceNumber?: string;
  salesOrderNumber: string;
  /** The origin the mapping project gives the order it writes (the template: WorkOrderIntegration), if any. */
  origin?: string;
  /** Absent when the mapping project's filters exclude the work order (e.g. Closed-Canceled). */
  expected?: ExpectedOrder;
  /** Why the work order cannot be mapped, if it cannot. */
  mappingProblem?: string;
  /** More than one work order in Field Service has this number. */
  duplicate: boolean;
  order?: SalesOrderHeader;
  orderLines: SalesOrderLine[];
  financeInvoices: SalesInvoiceHeader[];
  /** Field Service invoices by invoice number in lower case (the page's, shared). */
  fieldServiceInvoices: ReadonlyMap<string, readonly Pick<Invoice, 'invoiceid' | 'totalamount'>[]>;
  workflow?: WorkflowRun;
}

export type WorkOrderPageDeps = PageReading<WorkOrderTasks, ReturnType<typeof workOrderColumns>>;

/**
 * Reads both sides of a page of work orders (header rows as the page query returned them, accounts
 * expanded): their lines, the related records the mapping reads, their F&O sales orders, lines and
 * invoices, the Field Service invoices of those numbers, and their workflows. Each read is one query per
 * 50 keys (or 100 for Temporal visibility), never one per work order.
 */
export async function readWorkOrderPage(
  deps: WorkOrderPageDeps,
  rows: readonly SourceValues[],
): Promise<WorkOrderFacts[]> {
  const { context, related, tasks, columns } = deps;
  const { dataverse, finance, workflows } = context;

  const ids = rows.map((row) => String(row.msdyn_workorderid));
  const lines = new Map<string, Map<string, SourceValues[]>>();
  for (const [entitySet, select] of columns.lines) {
    const table = dataverseTableOf(entitySet);
    lines.set(
      entitySet,
      await rowsByParent(PARENT_COLUMN, ids, (filter) => dataverse.query(table, { select, filter })),
    );
  }
  const workOrders: WorkOrderRows[] = rows.map((row) => ({
    ...splitExpansions(row, columns.accounts),
    lines: Object.fromEntries(
      [...columns.lines.keys()].map((entitySet) => [
        entitySet,
        lines.get(entitySet)?.get(String(row.msdyn_workorderid)) ?? [],
      ]),
    ),
  }));
  const resolved = await resolveWorkOrders(related, tasks, workOrders);
  const lineTasks = [...tasks.lines.values()].flat();

  const mapped = resolved.map(({ header, lines: documentLines }) => {
    try {
      const headerPayload = mapRecord(tasks.header, header.record, header.related);
      const salesOrderNumber = String(headerPayload.key.SalesOrderNumber);
      const origin = headerPayload.values.SalesOrderOriginType;
      const mapping = mapWorkOrder({ tasks: [tasks.header, ...lineTasks] }, { header, lines: documentLines });
      const expected: ExpectedOrder | undefined = mapping.synced
        ? {
            header: mapping.header.values,
            lines: new Map(
              mapping.lines.map((line) => [Number(line.key.LineCreationSequenceNumber), line.values]),
            ),
          }
        : undefined;
      return { salesOrderNumber, origin: typeof origin === 'string' ? origin : undefined, expected };
    } catch (err) {
      if (!(err instanceof RecordMappingError)) throw err;
      return { salesOrderNumber: String(header.record.msdyn_name), mappingProblem: err.message };
    }
  });

  const bySalesOrder = <T extends { SalesOrderNumber: string }>(
    numbers: readonly string[],
    read: (filter: Filter) => AsyncIterable<T>,
  ) => rowsByKey('SalesOrderNumber', numbers, read, (row) => row.SalesOrderNumber);
  const orders = await bySalesOrder([...new Set(mapped.map((m) => m.salesOrderNumber))], (filter) =>
    finance.query(salesOrderHeaders, { filter }),
  );
  const found = [...orders.values()].map((ofNumber) => ofNumber.at(-1)!.SalesOrderNumber);
  const [orderLines, financeInvoices] = await Promise.all([
    bySalesOrder(found, (filter) => finance.query(salesOrderLines, { filter })),
    bySalesOrder(found, (filter) =>
      finance.query(salesInvoiceHeaders, { filter, orderBy: ['InvoiceDate', 'InvoiceNumber'] }),
    ),
  ]);

  const invoiceNumbers = new Set<string>();
  for (const invoice of [...financeInvoices.values()].flat()) invoiceNumbers.add(invoice.InvoiceNumber);
  for (const row of rows) {
    const named = row[INVOICE_NUMBER_COLUMN];
    if (typeof named === 'string' && named !== '') invoiceNumbers.add(named);
  }
  const fieldServiceInvoices = await rowsByKey(
    'invoicenumber',
    [...invoiceNumbers],
    (filter) => dataverse.query(invoices, { filter, select: ['invoiceid', 'invoicenumber', 'totalamount'] }),
    (invoice) => invoice.invoicenumber,
  );

  const numbers = rows.map((row) => String(row.msdyn_name));
  const runs = await workflows.byKeys(WORK_ORDER_WORKFLOWS.type, WORK_ORDER_WORKFLOWS.key, [
    ...new Set(numbers),
  ]);
  const counts = groupBy(numbers, (number) => number.toLowerCase());

  return rows.map((row, index): WorkOrderFacts => {
    const { salesOrderNumber, origin, expected, mappingProblem } = mapped[index]!;
    const key = salesOrderNumber.toLowerCase();
    const invoiceNumber = row[INVOICE_NUMBER_COLUMN];
    return {
      number: numbers[index]!,
      modifiedOn: typeof row.modifiedon === 'string' ? row.modifiedon : undefined,
      canceled: row.msdyn_systemstatus === WorkOrderSystemStatus.ClosedCanceled,
      invoiceNumber: typeof invoiceNumber === 'string' && invoiceNumber !== '' ? invoiceNumber : undefined,
      salesOrderNumber,
      origin,
      expected,
      mappingProblem,
      duplicate: (counts.get(numbers[index]!.toLowerCase())?.length ?? 0) > 1,
      order: orders.get(key)?.at(-1),
      orderLines: orderLines.get(key) ?? [],
      financeInvoices: financeInvoices.get(key) ?? [],
      fieldServiceInvoices,
      workflow: runs.get(numbers[index]!),
    };
  });
}
