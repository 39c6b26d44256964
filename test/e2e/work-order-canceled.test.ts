import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { SETTLE_MS } from '../../activities/settle';
import { type WorkOrderWatermark, workOrderWatermarkAt } from '../../activities/watchers/contract';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { workOrderInvoicing, workOrderWatcher } from '../../workflows';
import { approveInvoicingUpdate } from '../../workflows/work-order/messages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { waitForStage } from '../support/work-order-stage';

// Worker + Temporal + the Dynamics 365 sandboxes, over real HTTP: a dispatcher cancels a work order
// whose sales order awaits approval, and the work order watcher's next run ends its workflow.
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
  stack = await startStack('e2e-work-order-canceled');
  worker = await inProcessWorker(env, stack, workflowBundle);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

/** One run of the work order watcher, with a paused schedule of its own to keep the watermark in. */
async function runWorkOrderWatcher(since: Date) {
  const scheduleId = `work-order-watcher-${randomUUID()}`;
  const input = { scheduleId, watermark: workOrderWatermarkAt(since) };
  const schedule = await env.client.schedule.create({
    scheduleId,
    spec: { intervals: [{ every: '365 days' }] },
    action: {
      type: 'startWorkflow',
      workflowType: workOrderWatcher,
      args: [input],
      taskQueue: stack.config.temporal.taskQueue,
    },
    state: { paused: true },
  });
  try {
    return await env.client.workflow.execute(workOrderWatcher, {
      workflowId: `${scheduleId}-run`,
      taskQueue: stack.config.temporal.taskQueue,
      args: [input as { scheduleId: string; watermark: WorkOrderWatermark }],
    });
  } finally {
    await schedule.delete();
  }
}

test('cancelled in Field Service while awaiting approval: the watcher reports it, the F&O order is marked ClosedCanceled and left open, the workflow ends Canceled', async () => {
  const since = new Date(Date.now() - 1000);
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    customer: 'US-003',
    products: [{ product: 'P-1000', used: true, allocated: true, estimate: 2, quantity: 2, price: 45 }],
  });
  await startWorkOrder(env.client, stack.config, number);
  const handle = env.client.workflow.getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(number));
  await waitForStage(handle, 'AwaitingApproval');
  const headerPath = `CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='${number}')`;
  expect(await stack.finance(headerPath)).toMatchObject({ ExternalWorkOrderStatus: 'OpenCompleted' });

  const { value } = await stack.dataverse<{ value: { msdyn_workorderid: string }[] }>(
    `msdyn_workorders?$filter=msdyn_name eq '${number}'&$select=msdyn_workorderid`,
  );
  await stack.updateInDataverse(`msdyn_workorders(${value[0]!.msdyn_workorderid})`, {
    msdyn_systemstatus: SystemStatus.Canceled,
  });

  await delay(SETTLE_MS + 100); // the watcher leaves changes younger than that to its next run
  const watched = await runWorkOrderWatcher(since);
  expect(watched).toMatchObject({ canceledSignalled: 1, startedOrSignalled: 0 });
  const result = await handle.result();
  expect(result.stage).toBe('Canceled');
  expect(result.approval).toBeUndefined();
  expect(result.cancellation?.outcome).toBe(
    `cancelled in Field Service before invoicing; F&O sales order ${number} is left open ` +
      'with ExternalWorkOrderStatus ClosedCanceled, for F&O to cancel',
  );
  // F&O keeps the order (its to cancel), now marked for its users; nothing was invoiced.
  expect(await stack.finance(headerPath)).toMatchObject({ ExternalWorkOrderStatus: 'ClosedCanceled' });
  const invoices = await stack.finance<{ value: unknown[] }>(
    `SalesInvoiceHeadersV2?cross-company=true&$filter=SalesOrderNumber eq '${number}'`,
  );
  expect(invoices.value).toEqual([]);
  const refused = handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana' }] });
  await expect(refused).rejects.toThrow();

  // A later run of the watcher (e.g. another edit of the cancelled work order) starts nothing again.
  const { runId } = await handle.describe();
  const again = await runWorkOrderWatcher(since);
  expect(again).toMatchObject({ canceledSignalled: 0, startedOrSignalled: 0 });
  expect((await handle.describe()).runId).toBe(runId);
});

test('a workflow started for a work order already cancelled ends Canceled without a request to F&O', async () => {
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Canceled,
    products: [{ product: 'P-1000', used: true, estimate: 1, quantity: 1, price: 45 }],
  });
  await stack.control('finance', 'stats', undefined, 'DELETE');
  await startWorkOrder(env.client, stack.config, number);
  const result = await env.client.workflow
    .getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(number))
    .result();
  expect(result.stage).toBe('Canceled');
  expect(result.salesOrder).toBeUndefined();
  const stats = (await (await stack.control('finance', 'stats', undefined, 'GET')).json()) as {
    requests: { entitySet: string }[];
  };
  expect(stats.requests.filter((request) => request.entitySet.startsWith('CDSSalesOrder'))).toEqual([]);
});
