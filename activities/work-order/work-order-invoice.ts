import { D365Error } from '../../connectors';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { workOrders } from '../../connectors/entities/dataverse';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { dataverseTableOf } from '../dataverse-tables';
import type { ReferenceData } from '../reference-data';
import type { PostedInvoice, RowsAtHand, WorkOrderSnapshot } from './contract';
import { createInvoice, existingInvoice } from './record-invoice';
import { readPostedInvoice } from './sales-invoice';
import { INVOICE_NUMBER_COLUMN } from './work-order-status';
import type { WorkOrderTasks } from './work-order-tasks';

export interface WorkOrderInvoiceDeps {
  dataverse: DataverseClient;
  finance: FinanceClient;
  reference: ReferenceData;
  tasks: WorkOrderTasks;
}

/**
 * The rows of a work order that its invoice's lookups bind to (its accounts and products), reduced to
 * their ids and the columns the invoice tasks bind by: what recording needs instead of a query each.
 */
export function invoiceRowsAtHand(tasks: WorkOrderTasks, snapshot: WorkOrderSnapshot): RowsAtHand {
  const binds = [tasks.invoiceHeader, tasks.invoiceLines]
    .flatMap((task) => task?.fieldMaps ?? [])
    .flatMap((map) => (map.bind ? [map.bind] : []));
  const sources = { accounts: snapshot.records.accounts, products: snapshot.records.products };
  const atHand: RowsAtHand = {};
  for (const [entitySet, records] of Object.entries(sources)) {
    const fields = binds.filter((bind) => bind.entity === entitySet).map((bind) => bind.field);
    if (fields.length === 0) continue;
    const columns = [dataverseTableOf(entitySet).primaryKey, ...fields];
    atHand[entitySet] = records.map(({ record }) =>
      Object.fromEntries(
        columns.filter((column) => record[column] != null).map((column) => [column, String(record[column])]),
      ),
    );
  }
  return atHand;
}

/**
 * Records a posted F&O invoice on its work order: reads the invoice's header and lines (one `$batch`),
 * then creates the Field Service invoice with its details and marks the work order invoiced in one change
 * set, conditional on the work order's ETag the workflow last knew (one request). A 412 there means the
 * work order changed since, or this is a retry of a change set that went through: then an invoice of that
 * number is looked up and reused, and the mark written whatever the version.
 */
export async function recordWorkOrderInvoice(
  deps: WorkOrderInvoiceDeps,
  input: {
    workOrderId: string;
    workOrderEtag?: string;
    invoice: PostedInvoice;
    atHand?: RowsAtHand;
  },
): Promise<string> {
  const { dataverse, finance } = deps;
  const invoice = await readPostedInvoice(finance, input.invoice);
  const atHand = input.atHand ?? {};
  const mark = (etag: string) =>
    dataverse.updateOperation(
      workOrders,
      input.workOrderId,
      { [INVOICE_NUMBER_COLUMN]: invoice.invoiceNumber },
      etag,
    );
  if (input.workOrderEtag !== undefined) {
    try {
      return await createInvoice(deps, invoice, atHand, [mark(input.workOrderEtag)]);
    } catch (error) {
      if (!(error instanceof D365Error) || error.kind !== 'precondition-failed') throw error;
    }
  }
  const existing = await existingInvoice(dataverse, invoice.invoiceNumber);
  if (existing === undefined) return createInvoice(deps, invoice, atHand, [mark('*')]);
  await dataverse.update(
    workOrders,
    input.workOrderId,
    { [INVOICE_NUMBER_COLUMN]: invoice.invoiceNumber },
    '*',
  );
  return existing;
}
