import { ApplicationFailure, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { WorkOrderActivities } from '../../activities/work-order/contract';

const activities = proxyActivities<WorkOrderActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface InvoiceRecordingInput {
  workOrderNumber: string;
  salesOrderNumber: string;
  legalEntity: string;
}

export interface InvoiceRecordingResult {
  invoiceNumber: string;
  fieldServiceInvoiceId: string;
}

/**
 * Records in Field Service the posted F&O invoice of a work order that no running workflow records: its
 * workflow ended (invoiced, then the Field Service invoice was deleted) or is gone. The same activities
 * as the work order workflow's last step, so the invoice is created once (an invoice of that number is
 * reused) and its number written on the work order. Workflow ID `work-order-invoice-<number>`, started by
 * `fsfo work-order record-invoice` (reconcile's repair) only while the work order's own workflow is not running.
 */
export async function workOrderInvoiceRecording(
  input: InvoiceRecordingInput,
): Promise<InvoiceRecordingResult> {
  const { workOrderNumber, salesOrderNumber, legalEntity } = input;
  setCurrentDetails(
    `**RecordingInvoice**: the F&O invoice of sales order ${salesOrderNumber} in Field Service`,
  );
  const invoice = await activities.findSalesInvoice({ salesOrderNumber, legalEntity, signalled: true });
  if (invoice === null) {
    throw ApplicationFailure.nonRetryable(
      `F&O has no posted invoice of sales order ${salesOrderNumber} in ${legalEntity}: nothing to record`,
      'NoInvoice',
    );
  }
  const fieldServiceInvoiceId = await activities.recordInvoice({ workOrderNumber, invoice });
  setCurrentDetails(
    `**Invoiced**: invoice ${invoice.invoiceNumber} is recorded on work order ${workOrderNumber}`,
  );
  return { invoiceNumber: invoice.invoiceNumber, fieldServiceInvoiceId };
}
