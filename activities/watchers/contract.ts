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

/**
 * Where the invoice watcher stands. F&O's invoice header has only a date, no time, so the
 * watermark is that date plus the invoices (`<company>/<invoice number>`) already handled on it.
 */
export const invoiceWatermarkSchema = z.object({
  invoiceDate: z.iso.datetime({ offset: true }),
  seen: z.array(z.string()),
});
export type InvoiceWatermark = z.infer<typeof invoiceWatermarkSchema>;

/** A watermark from which every invoice dated on or after the day of `since` is read. */
export function invoiceWatermarkAt(since: Date): InvoiceWatermark {
  const day = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
  return { invoiceDate: day.toISOString(), seen: [] };
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

/** A page of changed work orders: `items` to start or signal, `canceled` to signal only. */
export interface WorkOrderChangesPage extends Page<string, WorkOrderWatermark> {
  /** Closed-Canceled in Field Service; absent from pages read before cancellations were reported. */
  canceled?: string[];
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

/** What the watcher workflows ask of Field Service, F&O and Temporal; each call is idempotent. */
export interface WatcherActivities {
  findChangedWorkOrders(input: { after: WorkOrderWatermark; limit: number }): Promise<WorkOrderChangesPage>;
  startWorkOrders(workOrderNumbers: string[]): Promise<StartOutcomes>;
  /** Signals the running workflows of work orders cancelled in Field Service; starts none. */
  signalCanceledWorkOrders(workOrderNumbers: string[]): Promise<CanceledOutcomes>;
  findPostedInvoices(input: {
    after: InvoiceWatermark;
    limit: number;
  }): Promise<Page<PostedInvoiceNotice, InvoiceWatermark>>;
  signalInvoicesPosted(invoices: PostedInvoiceNotice[]): Promise<SignalOutcomes>;
  /** Stores the watermark in the schedule's action arguments, where the next run reads it. */
  saveWatermark(input: WatcherInput<WorkOrderWatermark | InvoiceWatermark>): Promise<void>;
}
