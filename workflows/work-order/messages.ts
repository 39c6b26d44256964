import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { WorkOrderState } from './state';

const identity = z.string().trim().min(1, 'who decides must be named').max(200);

export const approveInvoicingSchema = z.object({
  approvedBy: identity,
  comment: z.string().max(2000).optional(),
});
export type ApproveInvoicing = z.infer<typeof approveInvoicingSchema>;

export const rejectInvoicingSchema = z.object({
  rejectedBy: identity,
  reason: z.string().trim().min(1, 'a rejection needs a reason the technician can act on').max(2000),
});
export type RejectInvoicing = z.infer<typeof rejectInvoicingSchema>;

export const retrySchema = z.object({ requestedBy: identity.optional() }).default({});
export type Retry = z.infer<typeof retrySchema>;

export const invoicePostedSchema = z.object({
  invoiceNumber: z.string().min(1),
  legalEntity: z.string().min(1).optional(),
});
export type InvoicePosted = z.infer<typeof invoicePostedSchema>;

/** Updates give the caller an answer (refused unless the workflow waits for that decision). */
export const approveInvoicingUpdate = defineUpdate<WorkOrderState, [ApproveInvoicing]>('approveInvoicing');
export const rejectInvoicingUpdate = defineUpdate<WorkOrderState, [RejectInvoicing]>('rejectInvoicing');
export const retryUpdate = defineUpdate<WorkOrderState, [Retry]>('retry');

/** The same decisions as signals, for tools that can only signal; invalid ones are logged and dropped. */
export const approveInvoicingSignal = defineSignal<[ApproveInvoicing]>('approveInvoicing');
export const rejectInvoicingSignal = defineSignal<[RejectInvoicing]>('rejectInvoicing');
export const retrySignal = defineSignal<[Retry?]>('retry');

/** From the watchers and the webhook: the work order changed in Field Service; an invoice was posted in F&O. */
export const workOrderChangedSignal = defineSignal('workOrderChanged');
export const invoicePostedSignal = defineSignal<[InvoicePosted]>('invoicePosted');

export const statusQuery = defineQuery<WorkOrderState>('status');
