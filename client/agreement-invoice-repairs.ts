import type { Client } from '@temporalio/client';
import { freeTextInvoicePostedSignal } from '../workflows/agreement-invoice/messages';
import { agreementInvoiceWorkflowId, invoiceNumberSchema } from './starters/agreement-invoice';

/**
 * Tells the agreement invoice's waiting workflow that F&O may have posted its free text invoice, exactly as
 * the free text invoice watcher does: the workflow asks F&O and records the posting it finds.
 */
export async function signalFreeTextInvoicePosted(client: Client, invoiceNumber: string): Promise<void> {
  const number = invoiceNumberSchema.parse(invoiceNumber);
  await client.workflow.getHandle(agreementInvoiceWorkflowId(number)).signal(freeTextInvoicePostedSignal);
}
