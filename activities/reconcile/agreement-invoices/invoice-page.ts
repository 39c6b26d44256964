import { ApplicationFailure } from '@temporalio/common';
import type { Filter } from '../../../connectors';
import { invoiceDetails } from '../../../connectors/entities/dataverse';
import {
  type FreeTextInvoiceHeader,
  type FreeTextInvoiceLine,
  freeTextInvoiceHeaders,
  freeTextInvoiceLines,
} from '../../../connectors/entities/finance';
import { RecordMappingError, type SourceValues } from '../../../mappings/engine';
import type { AgreementInvoiceTasks } from '../../agreement-invoice/agreement-invoice-tasks';
import { type MappedFreeTextInvoice, mapFreeTextInvoice } from '../../agreement-invoice/free-text-invoice';
import {
  type agreementInvoiceColumns,
  DETAIL_PARENT_COLUMN,
  resolveAgreementInvoices,
} from '../../agreement-invoice/load-agreement-invoice';
import { FREE_TEXT_INVOICE_NUMBER_COLUMN } from '../../agreement-invoice/posting';
import type { PageReading } from '../join';
import { groupBy, rowsByKey, rowsByParent } from '../key-reads';
import type { WorkflowRun } from '../workflow-visibility';
import { AGREEMENT_INVOICE_WORKFLOWS } from './running-workflows';

/** What F&O's free text invoice says, with its posting: `InvoiceNumber` and its total once posted. */
export type FreeTextInvoice = FreeTextInvoiceHeader & { InvoiceNumber?: string; TotalInvoiceAmount?: number };

/** The columns of a free text invoice header reconcile reads: those it compares and the posting. */
export const FREE_TEXT_INVOICE_COLUMNS = [
  'ExternalInvoiceId',
  'CustomerAccount',
  'CurrencyCode',
  'InvoiceDate',
  'InvoiceOriginType',
  'IsPosted',
  'InvoiceNumber',
  'TotalInvoiceAmount',
];

/** Everything reconcile knows of one agreement invoice once its page is read: both sides and its workflow. */
export interface AgreementInvoiceFacts {
  number: string;
  modifiedOn?: string;
  /** The F&O number of the posted free text invoice, as recorded on the Field Service invoice. */
  recordedAs?: string;
  /** More than one Field Service invoice has this number. */
  duplicate: boolean;
  /** The free text invoice the mapping project makes of the invoice now; absent when it cannot. */
  expected?: MappedFreeTextInvoice;
  /** Why the invoice cannot become a free text invoice, if it cannot. */
  problem?: string;
  /** The free text invoice's `ExternalInvoiceId`. */
  externalInvoiceId: string;
  freeText?: FreeTextInvoice;
  freeTextLines: FreeTextInvoiceLine[];
  workflow?: WorkflowRun;
}

export type AgreementInvoicePageDeps = PageReading<
  AgreementInvoiceTasks,
  ReturnType<typeof agreementInvoiceColumns>
>;

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** The free text invoice of the invoice as the project maps it, or why it cannot be one. */
function mapped(
  tasks: AgreementInvoiceTasks,
  snapshot: Parameters<typeof mapFreeTextInvoice>[1],
  legalEntity: string,
): Pick<AgreementInvoiceFacts, 'expected' | 'problem'> {
  if (snapshot.ineligibleReason) return { problem: snapshot.ineligibleReason };
  try {
    return { expected: mapFreeTextInvoice(tasks, snapshot, legalEntity) };
  } catch (err) {
    if (err instanceof RecordMappingError || (err instanceof ApplicationFailure && err.nonRetryable)) {
      return { problem: err.message };
    }
    throw err;
  }
}

/**
 * Reads both sides of a page of Field Service invoices (header rows as the page query returned them,
 * customer and agreement expanded): their details, the related records the mapping reads, their F&O free
 * text invoices and lines, and their workflows. Each read is one query per 50 keys (100 for Temporal
 * visibility), never one per invoice.
 */
export async function readAgreementInvoicePage(
  deps: AgreementInvoicePageDeps,
  rows: readonly SourceValues[],
): Promise<AgreementInvoiceFacts[]> {
  const { context, related, tasks, columns } = deps;
  const { dataverse, finance, workflows } = context;

  const ids = rows.map((row) => String(row.invoiceid));
  const details = await rowsByParent(DETAIL_PARENT_COLUMN, ids, (filter) =>
    dataverse.query(invoiceDetails, { select: columns.details, filter }),
  );
  const snapshots = await resolveAgreementInvoices(
    { related, tasks },
    rows.map((row) => ({ row, details: details.get(String(row.invoiceid)) ?? [] })),
  );
  const mappings = snapshots.map((snapshot) => mapped(tasks, snapshot, finance.company));
  const externalIds = snapshots.map(
    (snapshot, index) => mappings[index]!.expected?.summary.externalInvoiceId ?? snapshot.invoiceNumber,
  );

  const byExternalId = <T extends { ExternalInvoiceId: string }>(
    keys: readonly string[],
    read: (filter: Filter) => AsyncIterable<T>,
  ) => rowsByKey('ExternalInvoiceId', keys, read, (row) => row.ExternalInvoiceId);
  const headers = await byExternalId([...new Set(externalIds)], (filter) =>
    finance.query(freeTextInvoiceHeaders, { filter, select: FREE_TEXT_INVOICE_COLUMNS }),
  );
  const found = [...headers.values()].map((ofId) => ofId.at(-1)!.ExternalInvoiceId);
  const lines = await byExternalId(found, (filter) => finance.query(freeTextInvoiceLines, { filter }));

  const numbers = rows.map((row) => String(row.invoicenumber));
  const runs = await workflows.byKeys(AGREEMENT_INVOICE_WORKFLOWS.type, AGREEMENT_INVOICE_WORKFLOWS.key, [
    ...new Set(numbers),
  ]);
  const counts = groupBy(numbers, (number) => number.toLowerCase());

  return rows.map((row, index): AgreementInvoiceFacts => {
    const number = numbers[index]!;
    const externalInvoiceId = externalIds[index]!;
    return {
      number,
      modifiedOn: text(row.modifiedon),
      recordedAs: text(row[FREE_TEXT_INVOICE_NUMBER_COLUMN]),
      duplicate: (counts.get(number.toLowerCase())?.length ?? 0) > 1,
      ...mappings[index],
      externalInvoiceId,
      freeText: headers.get(externalInvoiceId.toLowerCase())?.at(-1) as FreeTextInvoice | undefined,
      freeTextLines: lines.get(externalInvoiceId.toLowerCase()) ?? [],
      workflow: runs.get(number),
    };
  });
}
