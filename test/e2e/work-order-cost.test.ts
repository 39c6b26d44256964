import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createWatcherActivities } from '../../activities/watchers';
import { workOrderWatermarkAt } from '../../activities/watchers/contract';
import {
  signalWorkOrderCanceled,
  startWorkOrder,
  workOrderWorkflowId,
} from '../../client/starters/work-order';
import { createConnectors } from '../../connectors';
import { loadMappingProject } from '../../mappings/project/loader';
import { connectorCatalog } from '../../connectors/entities/catalog';
import type { workOrderInvoicing } from '../../workflows';
import {
  approveInvoicingUpdate,
  invoicePostedSignal,
  statusQuery,
} from '../../workflows/work-order/messages';
import { createWorkOrder, type ProductLine, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { waitForStage } from '../support/work-order-stage';
import { untilIdle } from '../support/workflow-idle';

// What one work order costs Dynamics 365 and Temporal: requests per step, history size, and nothing for
// the echo of the workflow's own writes.
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
  stack = await startStack('e2e-work-order-cost');
  worker = await inProcessWorker(env, stack, workflowBundle);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

type Handle = WorkflowHandle<typeof workOrderInvoicing>;
const SERVICES = ['dataverse', 'finance'] as const;

/** Ten used product lines, as a technician records them. */
const tenLines: ProductLine[] = Array.from({ length: 10 }, (_, index) => ({
  product: index % 2 === 0 ? 'P-1000' : 'P-2000',
  used: true,
  estimate: index + 1,
  quantity: index + 1,
  price: 10 + index,
}));

async function resetRequests(): Promise<void> {
  for (const service of SERVICES) await stack.control(service, 'stats', undefined, 'DELETE');
}

/** Requests to both services since the last reset by `<service> <method> <entity set>`; reference data (cached per worker) left out. */
async function requests(): Promise<string[]> {
  const made: string[] = [];
  for (const service of SERVICES) {
    const stats = (await (await stack.control(service, 'stats', undefined, 'GET')).json()) as {
      requests: { entitySet: string; method: string; count: number }[];
    };
    for (const { entitySet, method, count } of stats.requests) {
      if (['uoms', 'transactioncurrencies'].includes(entitySet)) continue;
      for (let i = 0; i < count; i++) made.push(`${service} ${method} ${entitySet}`);
    }
  }
  return made;
}

async function start(number: string): Promise<Handle> {
  await startWorkOrder(env.client, stack.config, number);
  return env.client.workflow.getHandle(workOrderWorkflowId(number));
}

async function postInvoice(handle: Handle, number: string): Promise<void> {
  const posted = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
  expect(posted.status).toBe(200);
  const { InvoiceNumber } = (await posted.json()) as { InvoiceNumber: string };
  await handle.signal(invoicePostedSignal, { invoiceNumber: InvoiceNumber, legalEntity: 'usmf' });
}

/** What the work order watcher sees of a work order, as its signal carries it. */
async function watcherNotice(number: string) {
  const project = loadMappingProject('standard', connectorCatalog());
  const watcher = createWatcherActivities(
    stack.config,
    createConnectors(stack.config),
    project,
    () => Date.parse('2100-01-01T00:00:00Z'), // every change has settled, whatever the sandbox's clock
  );
  const page = await watcher.findChangedWorkOrders({
    after: workOrderWatermarkAt(new Date(0)),
    limit: 1000,
  });
  const notice = page.notices?.[number];
  expect(notice?.etag).toMatch(/^W\/"\d+"$/);
  return notice;
}

test('a 10-line work order: at most 4 requests to its sales order, 10 for the whole path, 32 KB of history', async () => {
  const number = await createWorkOrder(stack, { status: SystemStatus.Completed, products: tenLines });
  // Units and currencies are read once per worker: a first work order warms the cache.
  const warmUp = await start(
    await createWorkOrder(stack, { status: SystemStatus.Completed, products: tenLines }),
  );
  await waitForStage(warmUp, 'AwaitingApproval');
  await warmUp.terminate('warm-up done');

  await resetRequests();
  const handle = await start(number);
  await waitForStage(handle, 'AwaitingApproval');
  // At most 4: what lies beyond the 4th is shown if there is any.
  expect((await requests()).slice(4)).toEqual([]);
  expect((await handle.query(statusQuery)).salesOrder).toMatchObject({ lineCount: 10 });

  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
  await waitForStage(handle, 'AwaitingInvoice');
  await postInvoice(handle, number);
  const result = await handle.result();
  expect(result.stage).toBe('Invoiced');
  expect((await requests()).slice(10)).toEqual([]);

  const history = await handle.fetchHistory();
  const bytes = temporal.api.history.v1.History.encode(history).finish().length;
  expect(bytes).toBeLessThanOrEqual(32 * 1024);
  expect(history.events?.length).toBeLessThanOrEqual(60);
});

test("the watcher reporting the workflow's own close costs no request; a later cancellation is still read", async () => {
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    products: tenLines.slice(0, 2),
  });
  const handle = await start(number);
  await waitForStage(handle, 'AwaitingApproval');
  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
  await waitForStage(handle, 'AwaitingInvoice');

  // The close, as the watcher reads it and signals it: the version the workflow wrote itself.
  const closed = await watcherNotice(number);
  await resetRequests();
  await startWorkOrder(env.client, stack.config, number, closed);
  await untilIdle(handle);
  expect(await requests()).toEqual([]);

  // A cancellation after that is news: the workflow reads it and marks the order for F&O users.
  const { value } = await stack.dataverse<{ value: { msdyn_workorderid: string }[] }>(
    `msdyn_workorders?$filter=msdyn_name eq '${number}'&$select=msdyn_workorderid`,
  );
  await stack.updateInDataverse(`msdyn_workorders(${value[0]!.msdyn_workorderid})`, {
    msdyn_systemstatus: SystemStatus.Canceled,
  });
  const canceled = await watcherNotice(number);
  expect(canceled?.etag).not.toBe(closed?.etag);
  await signalWorkOrderCanceled(env.client, number, canceled);
  await untilIdle(handle);
  expect((await handle.query(statusQuery)).cancellation?.outcome).toMatch(/after invoicing was approved/);
  await handle.terminate('test done');
});
