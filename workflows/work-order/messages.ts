import { defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { decisionMessages } from '../integration/decisions';
import type { WorkOrderState } from './state';

export {
  approveInvoicingSchema,
  type ApproveInvoicing,
  rejectInvoicingSchema,
  type RejectInvoicing,
  retrySchema,
  type Retry,
} from '../integration/decisions';

export const {
  approveInvoicingUpdate,
  rejectInvoicingUpdate,
  retryUpdate,
  approveInvoicingSignal,
  rejectInvoicingSignal,
  retrySignal,
  statusQuery,
} = decisionMessages<WorkOrderState>();

export const invoicePostedSchema = z.object({
  invoiceNumber: z.string().min(1),
  legalEntity: z.string().min(1).optional(),
});
export type InvoicePosted = z.infer<typeof invoicePostedSchema>;

/**
 * What a change notice may say of the work order: its header's ETag (`W/"<version number>"`) and
 * `modifiedon` as the watcher or webhook read them. Optional: a notice without them (older tools,
 * `fsfo work-order notify`) makes the workflow read the work order.
 */
export const workOrderChangedSchema = z
  .object({
    etag: z.string().min(1).optional(),
    modifiedOn: z.iso.datetime({ offset: true }).optional(),
  })
  .optional();
export type WorkOrderChanged = z.infer<typeof workOrderChangedSchema>;

/** From the watchers and the webhook: the work order changed in Field Service; an invoice was posted in F&O. */
export const workOrderChangedSignal = defineSignal<[WorkOrderChanged?]>('workOrderChanged');
export const invoicePostedSignal = defineSignal<[InvoicePosted]>('invoicePosted');

/**
 * An operator asks a work order awaiting approval to write its F&O sales order again, e.g. after an F&O user
 * changed a line (`fsfo work-order resync`, reconcile's repair); refused in any other stage.
 */
export const resyncSalesOrderUpdate = defineUpdate<WorkOrderState, []>('resyncSalesOrder');
