import type { Client } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { IN_FLIGHT_WINDOW_MS } from '../../activities/reconcile/work-orders/in-flight';
import {
  reconcileInProcess,
  type ReconcileOutput,
  type ReconcileRunOptions,
} from '../../client/reconcile/run';
import { startWorkOrder, workOrderWorkflowId } from '../../client/work-order-starter';
import { loadMappingProject } from '../../mappings/project/loader';
import type { workOrderInvoicing } from '../../workflows';
import { IntegrationStage, WorkOrderNumber } from '../../workflows/search-attributes';
import { approveInvoicingUpdate, invoicePostedSignal } from '../../workflows/work-order/messages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { waitForStage } from '../support/work-order-stage';

const DEMO_WORK_ORDERS = ['WO-00001', 'WO-00002', 'WO-00003', 'WO-00004', 'WO-00005'];
const DEMO_INVOICE = 'INV-00001';

/**
 * The sandboxes with the demo master data and no work orders or invoices: the demo work orders and the
 * demo agreement invoice share their numbers (and so their workflow IDs) with every other test, so they
 * are deleted, as a Field Service user would.
 */
export async function startReconcileStack(
  prefix: string,
  env: Parameters<typeof startStack>[2] = {},
): Promise<Stack> {
  const stack = await startStack(prefix, {}, env);
  for (const number of DEMO_WORK_ORDERS)
    await stack.deleteInDataverse(`msdyn_workorders(msdyn_name='${number}')`);
  const { value } = await stack.dataverse<{ value: { invoiceid: string }[] }>(
    `invoices?$filter=invoicenumber eq '${DEMO_INVOICE}'&$select=invoiceid`,
  );
  for (const { invoiceid } of value) await stack.deleteInDataverse(`invoices(${invoiceid})`);
  return stack;
}

/**
 * Reconciles as `fsfo reconcile` does, an hour after the real clock, so the work orders the test has
 * just written are judged rather than counted in flight (the in-flight window has its own test).
 */
export function reconcile(
  client: Client,
  stack: Stack,
  options: ReconcileRunOptions = {},
): Promise<ReconcileOutput> {
  return reconcileInProcess(client, stack.config, loadMappingProject(stack.config.mappingProject), {
    now: new Date(Date.now() + IN_FLIGHT_WINDOW_MS + 60 * 60_000),
    ...options,
  });
}

/** A work order with one used product line (3 × P-1000 at 45.00) that syncs. */
export function usedWorkOrder(stack: Stack, status: number = SystemStatus.InProgress): Promise<string> {
  return createWorkOrder(stack, {
    status,
    customer: 'US-003',
    products: [{ product: 'P-1000', used: true, allocated: true, estimate: 3, quantity: 3, price: 45 }],
  });
}

/** Waits until Temporal visibility (what reconcile reads) shows the work order's workflow as `condition` says. */
async function visible(client: Client, workOrderNumber: string, condition: string): Promise<void> {
  const query = `${WorkOrderNumber.name} = '${workOrderNumber}' AND ${condition}`;
  const deadline = Date.now() + 30_000;
  while ((await client.workflow.count(query)).count === 0) {
    if (Date.now() > deadline)
      throw new Error(`visibility never showed ${workOrderNumber} with ${condition}`);
    await delay(100);
  }
}

/** Waits until visibility shows the workflow in `stage`. */
export const visibleIn = (client: Client, workOrderNumber: string, stage: string) =>
  visible(client, workOrderNumber, `${IntegrationStage.name} = '${stage}'`);

/** Waits until visibility shows the workflow completed. */
export const visiblyCompleted = (client: Client, workOrderNumber: string) =>
  visible(client, workOrderNumber, `ExecutionStatus = 'Completed'`);

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

/** Writes (anything but reads) the sandboxes received since `resetStats`. */
export async function writes(stack: Stack): Promise<string[]> {
  const found: string[] = [];
  for (const service of ['dataverse', 'finance'] as const) {
    const stats = (await (await stack.control(service, 'stats', undefined, 'GET')).json()) as {
      requests: { method: string; entitySet: string; count: number }[];
    };
    for (const request of stats.requests) {
      if (request.method !== 'GET') found.push(`${service} ${request.method} ${request.entitySet}`);
    }
  }
  return found;
}

export async function resetStats(stack: Stack): Promise<void> {
  for (const service of ['dataverse', 'finance'] as const)
    await stack.control(service, 'stats', undefined, 'DELETE');
}

/** Polls until `check` passes (an assertion that throws until then). */
export async function eventually(check: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await delay(150);
    }
  }
}
