import type { SourceRecord } from '../../mappings/engine';

/**
 * A Field Service invoice as read for the "Agreement invoices" tasks: the header with its related
 * records, its details keyed by entity set, and the customer behind it (the master data F&O needs
 * first). Read once per sync; every later step works from it.
 */
export interface AgreementInvoiceSnapshot {
  invoiceId: string;
  invoiceNumber: string;
  /** The agreement that produced the invoice, when Field Service links one. */
  agreementNumber?: string;
  /** Changes whenever the header or a detail changes. */
  version: string;
  /** Set when the mapping project's filters exclude this invoice (no agreement-origin lines). */
  ineligibleReason?: string;
  records: {
    header: SourceRecord;
    /** Keyed by the details' entity set (`invoicedetails`). */
    lines: Record<string, SourceRecord[]>;
    customers: SourceRecord[];
  };
}

/** The F&O free text invoice as the workflow last wrote or found it. */
export interface FreeTextInvoiceSummary {
  externalInvoiceId: string;
  legalEntity: string;
  customerAccount: string;
  currency: string;
  invoiceDate: string;
  /** Sum of the lines' amounts, as sent to F&O. */
  totalAmount: number;
  lineCount: number;
  /** The F&O invoice number, once F&O has posted it. */
  postedAs?: string;
}

/**
 * What the agreement invoice workflow asks of the outside world. Each activity is one idempotent
 * call (or a look-up by natural key and the write it decides), safe to retry after a crash.
 */
export interface AgreementInvoiceActivities {
  loadAgreementInvoice(invoiceNumber: string): Promise<AgreementInvoiceSnapshot>;
  ensureAgreementInvoiceCustomer(snapshot: AgreementInvoiceSnapshot): Promise<void>;
  /**
   * Creates or updates the free text invoice, header and lines in one change set. A posted one is
   * left alone: it must already say what Field Service says, else the difference is a business failure.
   */
  upsertFreeTextInvoice(snapshot: AgreementInvoiceSnapshot): Promise<FreeTextInvoiceSummary>;
  /** The F&O invoice number of the posted free text invoice, or null while it is not posted. */
  findFreeTextInvoicePosting(externalInvoiceId: string): Promise<string | null>;
  /** Writes the F&O invoice number on the Field Service invoice, the mark that it is posted. */
  recordFreeTextInvoicePosting(input: { invoiceId: string; postedAs: string }): Promise<void>;
}
