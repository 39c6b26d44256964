import { type BatchOperation, eq } from '../../connectors';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { invoices } from '../../connectors/entities/dataverse';
import {
  type DestinationPayload,
  type LookupBinding,
  mapRecord,
  type SourceValues,
} from '../../mappings/engine';
import { businessFailure } from '../business-failure';
import { dataverseTableOf } from '../dataverse-tables';
import { type BindingTarget, LookupBindings } from '../lookup-bindings';
import type { ReferenceData } from '../reference-data';
import type { InvoiceRecords } from './sales-invoice';
import type { WorkOrderTasks } from './work-order-tasks';

export interface RecordInvoiceDeps {
  dataverse: DataverseClient;
  reference: ReferenceData;
  tasks: Pick<WorkOrderTasks, 'invoiceHeader' | 'invoiceLines'>;
}

/**
 * Creates the Field Service invoice and its details from the F&O sales invoice, as the mapping
 * project's sales invoice tasks say, in one change set (with `alsoWrite`, e.g. the mark on the work
 * order, so both happen or neither). Idempotent: an invoice with this number that already exists is
 * returned as is. `atHand` holds rows the bindings may point at (e.g. the work order's accounts and
 * products), saving a query each.
 */
export async function recordInvoice(
  deps: RecordInvoiceDeps,
  invoice: InvoiceRecords,
  atHand: Readonly<Record<string, readonly SourceValues[]>> = {},
): Promise<{ invoiceId: string; created: boolean }> {
  const existing = await existingInvoice(deps.dataverse, invoice.invoiceNumber);
  if (existing !== undefined) return { invoiceId: existing, created: false };
  return { invoiceId: await createInvoice(deps, invoice, atHand), created: true };
}

/** The id of the Field Service invoice of this number, if there is one. */
export async function existingInvoice(
  dataverse: DataverseClient,
  invoiceNumber: string,
): Promise<string | undefined> {
  for await (const existing of dataverse.query(invoices, {
    filter: eq('invoicenumber', invoiceNumber),
    select: ['invoiceid'],
  })) {
    return String(existing.invoiceid);
  }
  return undefined;
}

/** Creates the invoice and its details in one change set, with `alsoWrite` after them; returns its id. */
export async function createInvoice(
  deps: RecordInvoiceDeps,
  invoice: InvoiceRecords,
  atHand: Readonly<Record<string, readonly SourceValues[]>>,
  alsoWrite: readonly BatchOperation[] = [],
): Promise<string> {
  const { dataverse, tasks } = deps;
  const header = mapRecord(tasks.invoiceHeader, invoice.header);
  const lines = tasks.invoiceLines ? invoice.lines.map((line) => mapRecord(tasks.invoiceLines!, line)) : [];
  const bindings = new LookupBindings(dataverse, deps.reference, atHand);
  const targetOf = async (binding: LookupBinding): Promise<BindingTarget> => {
    if (binding.entity === invoices.entitySet && binding.value === invoice.invoiceNumber) {
      return { kind: 'row', id: '$1', path: '$1' }; // the header of this change set
    }
    return bindings.target(binding);
  };
  const bodyOf = async (payload: DestinationPayload) => {
    const { bound, missing } = await bindings.bodyOf(payload, targetOf);
    if (missing.length > 0) {
      throw businessFailure(`Invoice ${invoice.invoiceNumber}: ${missing.join('; ')}`, 'MissingReference');
    }
    return { ...payload.values, ...bound };
  };
  const operations = [dataverse.createOperation(dataverseTableOf(header.entity), await bodyOf(header))];
  for (const line of lines) {
    operations.push(dataverse.createOperation(dataverseTableOf(line.entity), await bodyOf(line)));
  }
  const [created] = await dataverse.batch([[...operations, ...alsoWrite]]);
  const entityId = Object.entries(created?.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'odata-entityid',
  )?.[1];
  const id = /\(([0-9a-f-]{36})\)\s*$/i.exec(entityId ?? '')?.[1];
  if (!id) throw new Error(`Field Service did not return the id of invoice ${invoice.invoiceNumber}`);
  return id;
}
