import { invoiceDetails, invoices } from '../../../connectors/entities/dataverse';
import {
  type SalesInvoiceHeader,
  type SalesInvoiceLine,
  salesInvoiceLines,
} from '../../../connectors/entities/finance';
import { mapRecord, RecordMappingError, type SourceValues } from '../../../mappings/engine';
import type { ProjectTask } from '../../../mappings/project/merge';
import { unique } from '../../dataverse-tables';
import { workOrderSalesOrders } from '../../master-data/work-order-invoices';
import type { WorkOrderTasks } from '../../work-order/work-order-tasks';
import type { JoinContext } from '../join';
import { rowsByKey, rowsByParent } from '../key-reads';

export type SalesInvoiceTasks = Pick<WorkOrderTasks, 'invoiceHeader' | 'invoiceLines'>;

const DETAIL_PARENT_COLUMN = '_invoiceid_value';

/** The Field Service invoice the project's sales invoice tasks make of an F&O invoice: values and lines. */
export interface ExpectedInvoice {
  header: Readonly<Record<string, unknown>>;
  /** Mapped line values by line number. */
  lines: ReadonlyMap<number, Readonly<Record<string, unknown>>>;
}

/** A Field Service invoice as read: its columns and its details by line number. */
export interface RecordedInvoice {
  invoiceid: string;
  values: SourceValues;
  lines: Map<number, SourceValues>;
}

/** Everything reconcile knows of one F&O sales invoice once its page is read. */
export interface SalesInvoiceFacts {
  invoice: SalesInvoiceHeader;
  expected?: ExpectedInvoice;
  /** Why the tasks cannot map the invoice, if they cannot (the sync then fails on it too). */
  mappingProblem?: string;
  /** The Field Service invoices of its number (one when recorded once). */
  recorded: RecordedInvoice[];
}

/** The line task's key field that numbers a line (`lineitemnumber` in the template). */
export function lineNumberField(task: ProjectTask): string | undefined {
  return task.key.find((field) =>
    task.fieldMaps.some((map) => map.target === field && map.bind === undefined),
  );
}

/** The values the tasks give a Field Service invoice and its details, as columns to read back. */
function columnsOf(task: ProjectTask): string[] {
  return task.fieldMaps.filter((map) => map.bind === undefined).map((map) => map.target);
}

function expectedOf(
  tasks: SalesInvoiceTasks,
  invoice: SalesInvoiceHeader,
  lines: readonly SalesInvoiceLine[],
): ExpectedInvoice {
  const header = mapRecord(tasks.invoiceHeader, invoice).values;
  const numbered = new Map<number, Record<string, unknown>>();
  const lineTask = tasks.invoiceLines;
  const numberField = lineTask && lineNumberField(lineTask);
  if (lineTask && numberField) {
    for (const line of lines) {
      const { values } = mapRecord(lineTask, line);
      numbered.set(Number(values[numberField]), values);
    }
  }
  return { header, lines: numbered };
}

/**
 * Of a page of F&O sales invoices, those that are not work orders' (the work order join judges those)
 * with both sides: their F&O lines, the Field Service invoices of their numbers and those invoices'
 * details. Each read is one query per 50 keys, never one per invoice.
 */
export async function readSalesInvoicePage(
  context: JoinContext,
  tasks: SalesInvoiceTasks,
  headers: readonly SalesInvoiceHeader[],
): Promise<SalesInvoiceFacts[]> {
  const { dataverse, finance } = context;
  const ofWorkOrders = await workOrderSalesOrders(dataverse, headers);
  const compared = headers.filter((header) => !ofWorkOrders.has(header.SalesOrderNumber));
  const numbers = unique(compared.map((header) => header.InvoiceNumber));

  const financeLines = await rowsByKey(
    'InvoiceNumber',
    numbers,
    (filter) => finance.query(salesInvoiceLines, { filter }),
    (line) => line.InvoiceNumber,
  );

  const headerColumns = unique(['invoiceid', 'invoicenumber', ...columnsOf(tasks.invoiceHeader)]);
  const rows = await rowsByKey(
    'invoicenumber',
    numbers,
    (filter) => dataverse.query(invoices, { filter, select: headerColumns }),
    (row) => String(row.invoicenumber),
  );
  const numberField = tasks.invoiceLines && lineNumberField(tasks.invoiceLines);
  const details =
    tasks.invoiceLines && numberField
      ? await rowsByParent(
          DETAIL_PARENT_COLUMN,
          [...rows.values()].flat().map((row) => String(row.invoiceid)),
          (filter) =>
            dataverse.query(invoiceDetails, {
              select: unique([DETAIL_PARENT_COLUMN, ...columnsOf(tasks.invoiceLines!)]),
              filter,
            }),
        )
      : new Map<string, SourceValues[]>();
  const recordedOf = (row: SourceValues): RecordedInvoice => {
    const invoiceid = String(row.invoiceid);
    const lines = (details.get(invoiceid) ?? []).map((line): [number, SourceValues] => [
      Number(line[numberField!]),
      line,
    ]);
    return { invoiceid, values: row, lines: new Map(lines) };
  };

  return compared.map((invoice): SalesInvoiceFacts => {
    const key = invoice.InvoiceNumber.toLowerCase();
    const facts: SalesInvoiceFacts = { invoice, recorded: (rows.get(key) ?? []).map(recordedOf) };
    try {
      facts.expected = expectedOf(tasks, invoice, financeLines.get(key) ?? []);
    } catch (err) {
      if (!(err instanceof RecordMappingError)) throw err;
      facts.mappingProblem = err.message;
    }
    return facts;
  });
}
