import type { Client } from '@temporalio/client';
import type { Repair } from '../../activities/reconcile/drift';
import type { Config } from '../../config/config';
import { notifyPurchaseOrder, startPurchaseOrder } from '../starters/purchase-order';
import { signalFreeTextInvoicePosted } from '../agreement-invoice-repairs';
import { startAgreementInvoice } from '../starters/agreement-invoice';
import { requestSalesInvoiceRecording, SALES_INVOICE_SCHEDULE_ID } from '../sales-invoice-recording';
import { resyncWorkOrder, signalWorkOrderInvoicePosted, startInvoiceRecording } from '../work-order-repairs';
import { signalWorkOrderCanceled, startWorkOrder } from '../starters/work-order';

/** What a signal-with-start did, in words. */
const startedOrTold = (outcome: string) =>
  outcome === 'already-completed'
    ? 'its workflow had completed: nothing started'
    : 'workflow started or told of a change';

/** What a signal to a running workflow did, in words. */
const told = (outcome: string, what: string) =>
  outcome === 'signalled' ? what : 'no running workflow: nothing sent';

/**
 * Runs a repair through the same starters and messages as its CLI command (`commandOf`): it starts or
 * signals a workflow and never writes to Dynamics 365 itself. Returns what happened, in words.
 */
export async function runRepair(client: Client, config: Config, repair: Repair): Promise<string> {
  switch (repair.action) {
    case 'startWorkOrder':
      return startedOrTold(await startWorkOrder(client, config, repair.workOrderNumber));
    case 'resyncWorkOrder':
      await resyncWorkOrder(client, repair.workOrderNumber);
      return 'its workflow writes the sales order again';
    case 'notifyWorkOrder':
      return told(
        await signalWorkOrderCanceled(client, repair.workOrderNumber),
        'its workflow reads the work order again',
      );
    case 'signalInvoicePosted':
      await signalWorkOrderInvoicePosted(client, repair);
      return `its workflow records invoice ${repair.invoiceNumber}`;
    case 'recordWorkOrderInvoice':
      return (await startInvoiceRecording(client, config, repair)) === 'started'
        ? 'the invoice recording workflow started'
        : 'its workflow is running and records the invoice itself: nothing started';
    case 'startPurchaseOrder':
      return startedOrTold(await startPurchaseOrder(client, config, repair.purchaseOrderNumber));
    case 'notifyPurchaseOrder':
      return told(
        await notifyPurchaseOrder(client, repair.purchaseOrderNumber),
        'its workflow reads Field Service and F&O again',
      );
    case 'startAgreementInvoice':
      return startedOrTold(await startAgreementInvoice(client, config, repair.invoiceNumber));
    case 'signalFreeTextInvoicePosted':
      await signalFreeTextInvoicePosted(client, repair.invoiceNumber);
      return 'its workflow asks F&O for the posting and records it';
    case 'recordSalesInvoice':
      return (await requestSalesInvoiceRecording(client, [repair.invoiceNumber])).added.length > 0
        ? `${SALES_INVOICE_SCHEDULE_ID} records it now`
        : `${SALES_INVOICE_SCHEDULE_ID} lists it already (a run that fails on it says why in its result); it runs now`;
  }
}
