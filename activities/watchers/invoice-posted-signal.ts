import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { workOrderNumberSchema, workOrderWorkflowId } from '../../client/starters/work-order';
import { invoicePostedSignal } from '../../workflows/work-order/messages';
import type { PostedInvoiceNotice } from './contract';

export type InvoicePostedOutcome = 'signalled' | 'not-ours';

/**
 * Tells the work order workflow of the invoice's sales order (the work order number) that F&O
 * posted it. An invoice without such a running workflow is not the integration's: skipped.
 */
export async function signalInvoicePosted(
  client: Client,
  invoice: PostedInvoiceNotice,
): Promise<InvoicePostedOutcome> {
  const workOrderNumber = workOrderNumberSchema.safeParse(invoice.salesOrderNumber);
  if (!workOrderNumber.success) return 'not-ours';
  try {
    await client.workflow.getHandle(workOrderWorkflowId(workOrderNumber.data)).signal(invoicePostedSignal, {
      invoiceNumber: invoice.invoiceNumber,
      legalEntity: invoice.legalEntity,
    });
    return 'signalled';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'not-ours';
    throw err;
  }
}
