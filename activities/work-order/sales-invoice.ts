import { and, eq, ge } from '../../connectors';
import {
  type SalesInvoiceHeader,
  salesInvoiceHeaders,
  salesInvoiceLines,
} from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { businessFailure } from '../business-failure';
import type { PostedInvoice } from './contract';

/** A posted invoice with the F&O header and lines as read, for the sales invoice mapping. */
export interface InvoiceRecords extends PostedInvoice {
  header: Record<string, unknown>;
  lines: Record<string, unknown>[];
}

const summaryOf = (header: SalesInvoiceHeader): PostedInvoice => ({
  invoiceNumber: header.InvoiceNumber,
  invoiceDate: header.InvoiceDate,
  legalEntity: header.dataAreaId,
  salesOrderNumber: header.SalesOrderNumber,
  currency: header.CurrencyCode,
  totalAmount: header.TotalInvoiceAmount ?? 0,
});

/**
 * The first posted F&O invoice of a sales order of the legal entity (`dataAreaId`), without its lines
 * (one request); `null` while there is none. Asked across companies, so the order's company need not be
 * the worker's.
 */
export async function findSalesInvoice(
  finance: FinanceClient,
  salesOrderNumber: string,
  legalEntity: string,
): Promise<PostedInvoice | null> {
  for await (const header of finance.queryAllCompanies(salesInvoiceHeaders, {
    filter: and(eq('dataAreaId', legalEntity.toLowerCase()), eq('SalesOrderNumber', salesOrderNumber)),
    orderBy: ['InvoiceDate', 'InvoiceNumber'],
    top: 1,
  })) {
    return summaryOf(header);
  }
  return null;
}

/** A posted invoice's header and lines, in one `$batch` of two reads. */
export async function readPostedInvoice(
  finance: FinanceClient,
  invoice: PostedInvoice,
): Promise<InvoiceRecords> {
  const ofInvoice = and(
    eq('dataAreaId', invoice.legalEntity.toLowerCase()),
    eq('InvoiceNumber', invoice.invoiceNumber),
  );
  const [headers = [], lines = []] = await finance.queries([
    { entity: salesInvoiceHeaders, options: { filter: ofInvoice, top: 1 }, allCompanies: true },
    { entity: salesInvoiceLines, options: { filter: ofInvoice }, allCompanies: true },
  ]);
  const [header] = headers;
  if (header === undefined) {
    throw businessFailure(
      `Invoice ${invoice.invoiceNumber} of ${invoice.legalEntity} is no longer in F&O; find out what became of it there, then retry`,
      'InvoiceNotFound',
    );
  }
  return { ...summaryOf(header as SalesInvoiceHeader), header, lines };
}

/** A posted invoice header with its lines (of the header's company), as the invoice tasks map it. */
export async function withLines(finance: FinanceClient, header: SalesInvoiceHeader): Promise<InvoiceRecords> {
  const lines: Record<string, unknown>[] = [];
  for await (const line of finance.queryAllCompanies(salesInvoiceLines, {
    filter: and(eq('dataAreaId', header.dataAreaId), eq('InvoiceNumber', header.InvoiceNumber)),
  })) {
    lines.push(line);
  }
  return { ...summaryOf(header), header, lines };
}

export interface PostedInvoiceIndexOptions {
  /** How old the index may get before a look-up reads F&O again. */
  refreshMs: number;
  /** How far back the index reads posted invoices. */
  lookbackDays: number;
}

/**
 * Which sales orders have a posted invoice, read from F&O in one paged query for every waiting
 * workflow of this worker. The workflows' slow safety re-checks look here, so what they cost F&O
 * depends on how many invoices were posted, never on how many workflows wait.
 */
export class PostedInvoiceIndex {
  readonly #finance: FinanceClient;
  readonly #options: PostedInvoiceIndexOptions;
  #loaded: { at: number; invoiced: Promise<ReadonlySet<string>> } | undefined;

  constructor(
    finance: FinanceClient,
    options: PostedInvoiceIndexOptions = { refreshMs: 15 * 60_000, lookbackDays: 45 },
  ) {
    this.#finance = finance;
    this.#options = options;
  }

  async isInvoiced(salesOrderNumber: string): Promise<boolean> {
    if (this.#loaded === undefined || Date.now() - this.#loaded.at > this.#options.refreshMs) {
      const invoiced = this.#load();
      this.#loaded = { at: Date.now(), invoiced };
      invoiced.catch(() => (this.#loaded = undefined));
    }
    return (await this.#loaded.invoiced).has(salesOrderNumber);
  }

  async #load(): Promise<ReadonlySet<string>> {
    const since = new Date(Date.now() - this.#options.lookbackDays * 86_400_000);
    const invoiced = new Set<string>();
    for await (const header of this.#finance.query(salesInvoiceHeaders, {
      filter: ge('InvoiceDate', since),
      select: ['SalesOrderNumber', 'InvoiceNumber', 'InvoiceDate', 'LedgerVoucher'],
    })) {
      invoiced.add(header.SalesOrderNumber);
    }
    return invoiced;
  }
}
