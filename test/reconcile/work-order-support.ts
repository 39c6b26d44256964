import type { Client } from '@temporalio/client';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import type { workOrderInvoicing } from '../../workflows';
import { IntegrationStage, WorkOrderNumber } from '../../workflows/search-attributes';
import { approveInvoicingUpdate, invoicePostedSignal } from '../../workflows/work-order/messages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import type { Stack } from '../support/stack';
import { waitForStage } from '../support/work-order-stage';
import { visible } from './support';

/** A work order with one used product line (3 × P-1000 at 45.00) that syncs. */
export function usedWorkOrder(stack: Stack, status: number = SystemStatus.InProgress): Promise<string> {
  return createWorkOrder(stack, {
    status,
    customer: 'US-003',
    products: [{ product: 'P-1000', used: true, allocated: true, estimate: 3, quantity: 3, price: 45 }],
  });
}

/** Waits until visibility shows the work order's workflow in `stage`. */
export const visibleIn = (client: Client, workOrderNumber: string, stage: string) =>
  visible(client, WorkOrderNumber, workOrderNumber, `${IntegrationStage.name} = '${stage}'`);

/** Waits until visibility shows the work order's workflow completed. */
export const visiblyCompleted = (client: Client, workOrderNumber: string) =>
  visible(client, WorkOrderNumber, workOrderNumber, `ExecutionStatus = 'Completed'`);

/** Starts the work order's workflow and waits until it awaits approval, for reconcile too. */
export async function awaitingApproval(client: Client, stack: Stack, workOrderNumber: string) {
  await startWorkOrder(client, stack.config, workOrderNumber);
  const handle = client.workflow.getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(workOrderNumber));
  await waitForStage(handle, 'AwaitingApproval');
  await visibleIn(client, workOrderNumber, 'AwaitingApproval');
  return handle;
}

/** Approves the work order and waits until its workflow awaits the F&O invoice. */
export async function awaitingInvoice(client: Client, stack: Stack, workOrderNumber: string) {
  const handle = await awaitingApproval(client, stack, workOrderNumber);
  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'reconcile-test' }] });
  await waitForStage(handle, 'AwaitingInvoice');
  await visibleIn(client, workOrderNumber, 'AwaitingInvoice');
  return handle;
}

/** An F&O user posts the invoice of the work order's sales order; returns its number. */
export async function postInvoice(stack: Stack, salesOrderNumber: string): Promise<string> {
  const posted = await stack.control('finance', `sales-orders/usmf/${salesOrderNumber}/post-invoice`);
  if (posted.status !== 200) throw new Error(`post-invoice: ${posted.status} ${await posted.text()}`);
  return ((await posted.json()) as { InvoiceNumber: string }).InvoiceNumber;
}

/** The whole way: approved, invoiced in F&O, recorded in Field Service; the workflow has completed. */
export async function invoiced(client: Client, stack: Stack, workOrderNumber: string): Promise<string> {
  const handle = await awaitingInvoice(client, stack, workOrderNumber);
  const invoiceNumber = await postInvoice(stack, workOrderNumber);
  await handle.signal(invoicePostedSignal, { invoiceNumber, legalEntity: 'usmf' });
  await handle.result();
  await visiblyCompleted(client, workOrderNumber);
  return invoiceNumber;
}
