import { ApplicationFailure } from '@temporalio/common';
import { eq, guid, or } from '../../../connectors';
import { invoiceDetails } from '../../../connectors/entities/dataverse';
import {
  type FreeTextInvoiceHeader,
  type FreeTextInvoiceLine,
  freeTextInvoiceHeaders,
  freeTextInvoiceLines,
} from '../../../connectors/entities/finance';
import { RecordMappingError, type SourceValues } from '../../../mappings/engine';
import { InvoiceNumber } from '../../../workflows/search-attributes';
import type { AgreementInvoiceTasks } from '../../agreement-invoice/agreement-invoice-tasks';
import { type MappedFreeTextInvoice, mapFreeTextInvoice } from '../../agreement-invoice/free-text-invoice';
import {
  type agreementInvoiceColumns,
  DETAIL_PARENT_COLUMN,
  resolveAgreementInvoices,
} from '../../agreement-invoice/load-agreement-invoice';
import { FREE_TEXT_INVOICE_NUMBER_COLUMN } from '../../agreement-invoice/posting';
import { keyFilters, KEYS_PER_QUERY } from '../../key-filters';
import type { RelatedRecordReader } from '../../related-records';
import type { JoinContext } from '../join';
import type { WorkflowRun } from '../workflow-visibility';

/** The agreement invoice workflow's type (its function's name in `workflows/agreement-invoice/workflow.ts`). */
export const AGREEMENT_INVOICE_WORKFLOW = 'agreementInvoicing';

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

export interface AgreementInvoicePageDeps {
  context: JoinContext;
  related: RelatedRecordReader;
  tasks: AgreementInvoiceTasks;
  columns: ReturnType<typeof agreementInvoiceColumns>;
}

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
  const details = new Map<string, SourceValues[]>();
  for (let start = 0; start < ids.length; start += KEYS_PER_QUERY) {
    const [first, ...rest] = ids
      .slice(start, start + KEYS_PER_QUERY)
      .map((id) => eq(DETAIL_PARENT_COLUMN, guid(id)));
    for await (const line of dataverse.query(invoiceDetails, {
      select: columns.details,
      filter: or(first!, ...rest),
    })) {
      const parent = String(line[DETAIL_PARENT_COLUMN]);
      details.set(parent, [...(details.get(parent) ?? []), line]);
    }
  }
  const snapshots = await resolveAgreementInvoices(
    { related, tasks },
    rows.map((row) => ({ row, details: details.get(String(row.invoiceid)) ?? [] })),
  );
  const mappings = snapshots.map((snapshot) => mapped(tasks, snapshot, finance.company));
  const externalIds = snapshots.map(
    (snapshot, index) => mappings[index]!.expected?.summary.externalInvoiceId ?? snapshot.invoiceNumber,
  );

  const headers = new Map<string, FreeTextInvoice>();
  for (const filter of keyFilters('ExternalInvoiceId', [...new Set(externalIds)])) {
    for await (const header of finance.query(freeTextInvoiceHeaders, {
      filter,
      select: FREE_TEXT_INVOICE_COLUMNS,
    })) {
      headers.set(header.ExternalInvoiceId.toLowerCase(), header as FreeTextInvoice);
    }
  }
  const lines = new Map<string, FreeTextInvoiceLine[]>();
  for (const filter of keyFilters(
    'ExternalInvoiceId',
    [...headers.values()].map((header) => header.ExternalInvoiceId),
  )) {
    for await (const line of finance.query(freeTextInvoiceLines, { filter })) {
      const key = line.ExternalInvoiceId.toLowerCase();
      lines.set(key, [...(lines.get(key) ?? []), line]);
    }
  }

  const numbers = rows.map((row) => String(row.invoicenumber));
  const runs = await workflows.byKeys(AGREEMENT_INVOICE_WORKFLOW, InvoiceNumber, [...new Set(numbers)]);
  const counts = new Map<string, number>();
  for (const number of numbers) counts.set(number.toLowerCase(), (counts.get(number.toLowerCase()) ?? 0) + 1);

  return rows.map((row, index): AgreementInvoiceFacts => {
    const number = numbers[index]!;
    const externalInvoiceId = externalIds[index]!;
    return {
      number,
      modifiedOn: text(row.modifiedon),
      recordedAs: text(row[FREE_TEXT_INVOICE_NUMBER_COLUMN]),
      duplicate: (counts.get(number.toLowerCase()) ?? 0) > 1,
      ...mappings[index],
      externalInvoiceId,
      freeText: headers.get(externalInvoiceId.toLowerCase()),
      freeTextLines: lines.get(externalInvoiceId.toLowerCase()) ?? [],
      workflow: runs.get(number),
    };
  });
}
