import { eq } from '../../connectors';
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
import { ReferenceData } from '../reference-data';
import type { PostedInvoice, WorkOrderSnapshot } from './contract';
import type { WorkOrderTasks } from './work-order-tasks';

/** Lookups that may point at several tables name their navigation property per target. */
const POLYMORPHIC_NAVIGATION: Record<string, Record<string, string>> = {
  customerid: { accounts: 'customerid_account', contacts: 'customerid_contact' },
};

export interface RecordInvoiceDeps {
  dataverse: DataverseClient;
  reference: ReferenceData;
  tasks: WorkOrderTasks;
}

/**
 * Creates the Field Service invoice and its details from the F&O sales invoice, as the mapping
 * project's sales invoice tasks say, in one change set. Idempotent: an invoice with this number that
 * already exists is returned as is.
 */
export async function recordInvoice(
  deps: RecordInvoiceDeps,
  snapshot: WorkOrderSnapshot,
  invoice: PostedInvoice,
): Promise<string> {
  const { dataverse, tasks } = deps;
  for await (const existing of dataverse.query(invoices, {
    filter: eq('invoicenumber', invoice.invoiceNumber),
    select: ['invoiceid'],
  })) {
    return String(existing.invoiceid);
  }
  const header = mapRecord(tasks.invoiceHeader, invoice.header);
  const lines = tasks.invoiceLines ? invoice.lines.map((line) => mapRecord(tasks.invoiceLines!, line)) : [];
  const resolve = bindingResolver(deps, snapshot, invoice.invoiceNumber);
  const headerBody = { ...header.values, ...(await bindingsOf(header, resolve)) };
  const operations = [dataverse.createOperation(dataverseTableOf(header.entity), headerBody)];
  for (const line of lines) {
    const body = { ...line.values, ...(await bindingsOf(line, resolve)) };
    operations.push(dataverse.createOperation(dataverseTableOf(line.entity), body));
  }
  const [created] = await dataverse.batch([operations]);
  const entityId = Object.entries(created?.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'odata-entityid',
  )?.[1];
  const id = /\(([0-9a-f-]{36})\)\s*$/i.exec(entityId ?? '')?.[1];
  if (!id) throw new Error(`Field Service did not return the id of invoice ${invoice.invoiceNumber}`);
  return id;
}

type Resolve = (binding: LookupBinding) => Promise<string | undefined>;

/** `<navigation>@odata.bind` for each binding the resolver can place. */
async function bindingsOf(payload: DestinationPayload, resolve: Resolve) {
  const bound: Record<string, string> = {};
  for (const [target, binding] of Object.entries(payload.bindings)) {
    const reference = await resolve(binding);
    if (reference === undefined) continue;
    const navigation = POLYMORPHIC_NAVIGATION[target]?.[binding.entity] ?? target;
    bound[`${navigation}@odata.bind`] = reference;
  }
  return bound;
}

function bindingResolver(
  deps: RecordInvoiceDeps,
  snapshot: WorkOrderSnapshot,
  invoiceNumber: string,
): Resolve {
  const atHand: Record<string, readonly SourceValues[]> = {
    accounts: snapshot.records.accounts.map((source) => source.record),
    products: snapshot.records.products.map((source) => source.record),
  };
  return async ({ entity, field, value }) => {
    if (entity === invoices.entitySet && value === invoiceNumber) return '$1'; // the header of this change set
    let table;
    try {
      table = dataverseTableOf(entity);
    } catch {
      return undefined; // a table the product does not model (e.g. price lists): the binding is left out
    }
    const candidates = ReferenceData.has(entity)
      ? [...(await deps.reference.rows(entity)).values()]
      : (atHand[entity] ?? []);
    let row = candidates.find((candidate) => candidate[field] === value);
    if (row === undefined) {
      for await (const found of deps.dataverse.query(table, {
        filter: eq(field, value as string),
        select: [table.primaryKey],
        top: 1,
      })) {
        row = found;
      }
    }
    if (row === undefined) {
      throw businessFailure(
        `Invoice ${invoiceNumber}: Field Service has no ${entity} row with ${field} = ${JSON.stringify(value)}`,
        'MissingReference',
      );
    }
    return `/${entity}(${String(row[table.primaryKey])})`;
  };
}
