import { createHash } from 'node:crypto';
import { eq, guid, type Expand } from '../../connectors';
import { columnsOf, type DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { accounts, invoiceDetails, invoices } from '../../connectors/entities/dataverse';
import {
  mapHeaderWithLines,
  requiredLookups,
  sourceFields,
  type SourceRecord,
  type SourceValues,
} from '../../mappings/engine';
import { businessFailure } from '../business-failure';
import { unique } from '../dataverse-tables';
import type { RelatedRecordReader } from '../related-records';
import type { AgreementInvoiceSnapshot } from './contract';
import type { AgreementInvoiceTasks } from './agreement-invoice-tasks';

/** Navigation properties of `invoice` (the customer is polymorphic: only an account is a customer). */
const CUSTOMER = { lookup: 'customerid', navigation: 'customerid_account' };
const AGREEMENT = 'msdyn_agreement';
const DETAILS = 'invoice_details';
const PARENT_LOOKUP = 'invoiceid';
/** The lookup of a detail to its invoice, as a query reads it. */
export const DETAIL_PARENT_COLUMN = '_invoiceid_value';

export interface LoadAgreementInvoiceDeps {
  dataverse: DataverseClient;
  related: RelatedRecordReader;
  tasks: AgreementInvoiceTasks;
}

/**
 * What an invoice read selects: the header's columns with its customer account and agreement expanded
 * (single-valued navigations come inline), and the details' columns, as the mapping project's tasks read them.
 */
export function agreementInvoiceColumns(tasks: AgreementInvoiceTasks) {
  const headerLookups = requiredLookups(tasks.header);
  const accountFields = unique([
    ...columnsOf(accounts.schema),
    ...(tasks.customers ? sourceFields(tasks.customers) : []),
    ...headerLookups.filter((l) => l.lookup === CUSTOMER.lookup).flatMap((l) => l.fields),
  ]);
  const lineTasks = [...tasks.lines.values()].flat();
  return {
    header: unique([...columnsOf(invoices.schema), ...sourceFields(tasks.header)]),
    expand: [
      { navigation: CUSTOMER.navigation, select: accountFields },
      { navigation: AGREEMENT, select: ['msdyn_name'] },
    ] satisfies Expand[],
    details: unique([...columnsOf(invoiceDetails.schema), ...lineTasks.flatMap(sourceFields)]),
  };
}

/** An invoice's rows as read: the header row (customer and agreement expanded inline) and its details. */
export interface AgreementInvoiceRows {
  row: SourceValues;
  details: readonly SourceValues[];
}

/**
 * Reads an invoice in one request (header, its customer account, its agreement, its details); other
 * related records come from the worker's reference-data cache or one query per entity set.
 */
export async function loadAgreementInvoice(
  deps: LoadAgreementInvoiceDeps,
  invoiceNumber: string,
): Promise<AgreementInvoiceSnapshot> {
  const { dataverse, related, tasks } = deps;
  const columns = agreementInvoiceColumns(tasks);
  const found: SourceValues[] = [];
  for await (const row of dataverse.query(invoices, {
    filter: eq('invoicenumber', invoiceNumber),
    select: columns.header,
    expand: [...columns.expand, { navigation: DETAILS, select: columns.details }],
    top: 2,
  })) {
    found.push(row);
  }
  if (found.length === 0)
    throw businessFailure(`Invoice ${invoiceNumber} does not exist in Field Service`, 'NotFound');
  if (found.length > 1) {
    throw businessFailure(
      `Two invoices in Field Service are numbered ${invoiceNumber}; make the number unique`,
    );
  }
  const row = found[0]!;
  const details = await detailsOf(dataverse, row, String(row.invoiceid));
  const [snapshot] = await resolveAgreementInvoices({ related, tasks }, [{ row, details }]);
  return snapshot!;
}

/**
 * Makes snapshots of several invoices at once: the related records their headers, details and customers
 * read come in one query per related entity set for all of them (reference data from the cache).
 */
export async function resolveAgreementInvoices(
  deps: Pick<LoadAgreementInvoiceDeps, 'related' | 'tasks'>,
  read: readonly AgreementInvoiceRows[],
): Promise<AgreementInvoiceSnapshot[]> {
  const { related, tasks } = deps;
  const navigations = new Set([CUSTOMER.navigation, AGREEMENT, DETAILS]);
  const headers = read.map(({ row }) =>
    Object.fromEntries(Object.entries(row).filter(([name]) => !navigations.has(name.split('@')[0]!))),
  );
  const customerOf = read.map(({ row }) => {
    const customer = row[CUSTOMER.navigation];
    return customer && typeof customer === 'object' ? (customer as SourceValues) : undefined;
  });
  const customers = new Map<string, SourceValues>();
  for (const customer of customerOf) if (customer) customers.set(String(customer.accountid), customer);

  const headersRelated = await related.resolve(headers, requiredLookups(tasks.header), {
    known: new Map([[accounts.entitySet, customers]]),
  });
  const allDetails = read.flatMap(({ details }) => details);
  const linesRelated = new Map<string, Awaited<ReturnType<RelatedRecordReader['resolve']>>>();
  for (const [entitySet, ofEntity] of tasks.lines) {
    linesRelated.set(
      entitySet,
      await related.resolve(allDetails, ofEntity.flatMap(requiredLookups), {
        skip: new Set([PARENT_LOOKUP]),
      }),
    );
  }
  const customerRows = [...customers.values()];
  const customersRelated = tasks.customers
    ? await related.resolve(customerRows, requiredLookups(tasks.customers))
    : [];
  const customerRecords = new Map(
    customerRows.map((record, index) => [
      String(record.accountid),
      { record, related: customersRelated[index] },
    ]),
  );

  const lineTasks = [...tasks.lines.values()].flat();
  let offset = 0;
  return read.map(({ row, details }, index): AgreementInvoiceSnapshot => {
    const invoiceNumber = String(row.invoicenumber);
    const lines: Record<string, SourceRecord[]> = {};
    for (const [entitySet, resolved] of linesRelated) {
      lines[entitySet] = details.map((record, line) => ({ record, related: resolved[offset + line] }));
    }
    offset += details.length;
    const customer = customerOf[index];
    const records: AgreementInvoiceSnapshot['records'] = {
      header: { record: headers[index]!, related: headersRelated[index] },
      lines,
      customers: customer ? [customerRecords.get(String(customer.accountid))!] : [],
    };
    const mapping = mapHeaderWithLines({ tasks: [tasks.header, ...lineTasks] }, tasks.header, records);
    let ineligibleReason: string | undefined;
    if (!mapping.synced) ineligibleReason = `Invoice ${invoiceNumber} does not sync: ${mapping.reason}`;
    else if (mapping.lines.length === 0)
      ineligibleReason = `Invoice ${invoiceNumber} does not sync: none of its lines has an agreement origin`;
    const agreement = row[AGREEMENT] as SourceValues | null | undefined;
    return {
      invoiceId: String(row.invoiceid),
      invoiceNumber,
      agreementNumber: typeof agreement?.msdyn_name === 'string' ? agreement.msdyn_name : undefined,
      version: versionOf([headers[index]!, ...details]),
      ineligibleReason,
      records,
    };
  });
}

/**
 * The details from the `$expand`. Dataverse may page an expanded collection (an empty array and a
 * `<navigation>@odata.nextLink`); then the details are queried by invoice.
 */
async function detailsOf(
  dataverse: DataverseClient,
  row: SourceValues,
  invoiceId: string,
): Promise<SourceValues[]> {
  const expanded = row[DETAILS];
  if (Array.isArray(expanded) && !(`${DETAILS}@odata.nextLink` in row)) {
    return expanded.map((line) => invoiceDetails.schema.parse(line) as SourceValues);
  }
  const rows: SourceValues[] = [];
  for await (const line of dataverse.query(invoiceDetails, {
    filter: eq(DETAIL_PARENT_COLUMN, guid(invoiceId)),
  })) {
    rows.push(line);
  }
  return rows;
}

/** A digest of the rows' ETags: any change to the header or a detail gives a new version. */
function versionOf(rows: readonly SourceValues[]): string {
  const etags = rows.map((row) => String(row['@odata.etag'])).sort();
  return createHash('sha256').update(etags.join('\n')).digest('hex').slice(0, 16);
}
