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

export interface LoadAgreementInvoiceDeps {
  dataverse: DataverseClient;
  related: RelatedRecordReader;
  tasks: AgreementInvoiceTasks;
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
  const headerLookups = requiredLookups(tasks.header);
  const lineTasks = [...tasks.lines.values()].flat();
  const accountFields = unique([
    ...columnsOf(accounts.schema),
    ...(tasks.customers ? sourceFields(tasks.customers) : []),
    ...headerLookups.filter((l) => l.lookup === CUSTOMER.lookup).flatMap((l) => l.fields),
  ]);
  const expand: Expand[] = [
    { navigation: CUSTOMER.navigation, select: accountFields },
    { navigation: AGREEMENT, select: ['msdyn_name'] },
    {
      navigation: DETAILS,
      select: unique([...columnsOf(invoiceDetails.schema), ...lineTasks.flatMap(sourceFields)]),
    },
  ];

  const found: SourceValues[] = [];
  for await (const row of dataverse.query(invoices, {
    filter: eq('invoicenumber', invoiceNumber),
    select: unique([...columnsOf(invoices.schema), ...sourceFields(tasks.header)]),
    expand,
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
  const invoiceId = String(row.invoiceid);
  const customer = row[CUSTOMER.navigation];
  const customers = new Map<string, SourceValues>();
  if (customer && typeof customer === 'object') {
    const values = customer as SourceValues;
    customers.set(String(values.accountid), values);
  }
  const agreement = row[AGREEMENT] as SourceValues | null | undefined;
  const details = await detailsOf(dataverse, row, invoiceId);

  const header = Object.fromEntries(
    Object.entries(row).filter(([name]) => !expand.some((e) => name.split('@')[0] === e.navigation)),
  );
  const [headerRelated] = await related.resolve([header], headerLookups, {
    known: new Map([[accounts.entitySet, customers]]),
  });
  const lines: Record<string, SourceRecord[]> = {};
  for (const [entitySet, ofEntity] of tasks.lines) {
    const relatedRows = await related.resolve(details, ofEntity.flatMap(requiredLookups), {
      skip: new Set([PARENT_LOOKUP]),
    });
    lines[entitySet] = details.map((record, index) => ({ record, related: relatedRows[index] }));
  }
  const customerRows = [...customers.values()];
  const customerRelated = tasks.customers
    ? await related.resolve(customerRows, requiredLookups(tasks.customers))
    : [];
  const records: AgreementInvoiceSnapshot['records'] = {
    header: { record: header, related: headerRelated },
    lines,
    customers: customerRows.map((record, index) => ({ record, related: customerRelated[index] })),
  };

  const mapping = mapHeaderWithLines({ tasks: [tasks.header, ...lineTasks] }, tasks.header, records);
  let ineligibleReason: string | undefined;
  if (!mapping.synced) ineligibleReason = `Invoice ${invoiceNumber} does not sync: ${mapping.reason}`;
  else if (mapping.lines.length === 0)
    ineligibleReason = `Invoice ${invoiceNumber} does not sync: none of its lines has an agreement origin`;
  return {
    invoiceId,
    invoiceNumber,
    agreementNumber: typeof agreement?.msdyn_name === 'string' ? agreement.msdyn_name : undefined,
    version: versionOf([header, ...details]),
    ineligibleReason,
    records,
  };
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
    filter: eq('_invoiceid_value', guid(invoiceId)),
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
