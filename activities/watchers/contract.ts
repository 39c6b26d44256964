import { z } from 'zod';

/**
 * Where the work order watcher stands: the last work order it handled, by `modifiedon` and then
 * number, so work orders modified in the same second are neither skipped nor read twice.
 */
export const workOrderWatermarkSchema = z.object({
  modifiedOn: z.iso.datetime({ offset: true }),
  workOrderNumber: z.string(),
});
export type WorkOrderWatermark = z.infer<typeof workOrderWatermarkSchema>;

/** A watermark from which every work order modified at or after `since` is read. */
export function workOrderWatermarkAt(since: Date): WorkOrderWatermark {
  return { modifiedOn: since.toISOString(), workOrderNumber: '' };
}

// Not z.iso.date(): its regex is zod's own, frozen in workflows (workflows/shared-modules.ts).
const invoiceDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date (YYYY-MM-DD)' });

/**
 * How many invoices a reader of posted F&O invoices has handled per invoice date, over its lookback
 * window. F&O lets users post with any date of an open period and OData gives no posting time, so an
 * invoice may appear behind the reader's position; a `$count` per window that differs from these
 * counts finds the date it is on. At most one entry per date with invoices in the window.
 */
export const invoiceCountsSchema = z.object({
  /** The first date counted: where the reader started, or the edge of its lookback window. */
  from: invoiceDay,
  /** Invoices handled per date (`YYYY-MM-DD`) from `from` on; a date without any is left out. */
  days: z.record(invoiceDay, z.number().int().positive()),
  /** A date whose count in F&O differs, being read again after `key` (`read` invoices so far). */
  rereading: z.object({ day: invoiceDay, key: z.string(), read: z.number().int().nonnegative() }).optional(),
});
export type InvoiceCounts = z.infer<typeof invoiceCountsSchema>;

/** The counts of a reader that starts at the date of `since`. */
export function invoiceCountsFrom(since: Date): InvoiceCounts {
  return { from: since.toISOString().slice(0, 10), days: {} };
}

/**
 * Where the invoice watcher stands: the last invoice it read in order of invoice date, company and
 * number (`key`: `<company>/<invoice number>`, '' before the first of that date), and its counts.
 */
export const invoiceWatermarkSchema = z.object({
  invoiceDate: z.iso.datetime({ offset: true }),
  key: z.string(),
  counted: invoiceCountsSchema,
});
export type InvoiceWatermark = z.infer<typeof invoiceWatermarkSchema>;

/** A watermark from which every invoice dated on or after the day of `since` is read. */
export function invoiceWatermarkAt(since: Date): InvoiceWatermark {
  const day = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
  return { invoiceDate: day.toISOString(), key: '', counted: invoiceCountsFrom(since) };
}

/** A watcher's input, kept in its schedule's action so the next run starts where this one ended. */
export interface WatcherInput<Watermark> {
  scheduleId: string;
  watermark: Watermark;
}

export interface Page<Item, Watermark> {
  items: Item[];
  /** The watermark once every item of this page is handled. */
  watermark: Watermark;
  /** The page was full: there may be more after it. */
  more: boolean;
}

/** What the watcher saw of a changed work order, passed on in its `workOrderChanged` signal. */
export interface WorkOrderNotice {
  etag?: string;
  modifiedOn?: string;
  /** The row carries a service manager's decision on invoicing (`fsfo_invoicingdecision`). */
  decision?: FieldServiceDecision;
}

/** A decision on invoicing set in Field Service, and the Dataverse user who set it (`systemuserid`). */
export interface FieldServiceDecision {
  decision: 'approve' | 'reject';
  reason?: string;
  userId: string;
}

/** A page of changed work orders: `items` to start or signal, `canceled` to signal only. */
export interface WorkOrderChangesPage extends Page<string, WorkOrderWatermark> {
  /** Closed-Canceled in Field Service; absent from pages read before cancellations were reported. */
  canceled?: string[];
  /** By work order number; absent from pages read before notices carried the version. */
  notices?: Record<string, WorkOrderNotice>;
}

export interface PostedInvoiceNotice {
  salesOrderNumber: string;
  invoiceNumber: string;
  legalEntity: string;
}

export interface StartOutcomes {
  startedOrSignalled: number;
  alreadyCompleted: number;
  failed: { workOrderNumber: string; reason: string }[];
}

export interface CanceledOutcomes {
  signalled: number;
  /** Cancelled work orders without a running workflow: left alone. */
  withoutWorkflow: number;
}

export interface SignalOutcomes {
  signalled: number;
  /** Invoices of sales orders without a work order workflow: not the integration's. */
  notOurs: number;
}

/** Agreement invoice workflows waiting for F&O with a free text invoice written, how many F&O had posted, how many were told. */
export interface FreeTextPostingOutcomes {
  waiting: number;
  posted: number;
  signalled: number;
}

/** What the watcher workflows ask of Field Service, F&O and Temporal; each call is idempotent. */
export interface WatcherActivities {
  findChangedWorkOrders(input: { after: WorkOrderWatermark; limit: number }): Promise<WorkOrderChangesPage>;
  startWorkOrders(
    workOrderNumbers: string[],
    notices?: Record<string, WorkOrderNotice>,
  ): Promise<StartOutcomes>;
  /** Signals the running workflows of work orders cancelled in Field Service; starts none. */
  signalCanceledWorkOrders(
    workOrderNumbers: string[],
    notices?: Record<string, WorkOrderNotice>,
  ): Promise<CanceledOutcomes>;
  findPostedInvoices(input: {
    after: InvoiceWatermark;
    limit: number;
  }): Promise<Page<PostedInvoiceNotice, InvoiceWatermark>>;
  signalInvoicesPosted(invoices: PostedInvoiceNotice[]): Promise<SignalOutcomes>;
  /** Signals `freeTextInvoicePosted` to the waiting agreement invoice workflows whose free text invoice F&O posted. */
  signalPostedFreeTextInvoices(): Promise<FreeTextPostingOutcomes>;
  /** Stores the watermark in the schedule's action arguments, where the next run reads it. */
  saveWatermark(input: WatcherInput<WorkOrderWatermark | InvoiceWatermark>): Promise<void>;
}
