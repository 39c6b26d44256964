import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { type SyncInput, syncWatermarkAt } from '../../activities/master-data/contract';
import { type WatcherInput, workOrderWatermarkAt } from '../../activities/watchers/contract';
import { runScheduleNow } from '../../client/schedules';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { masterDataSync, type workOrderInvoicing, workOrderWatcher } from '../../workflows';
import type { MasterDataSyncResult } from '../../workflows/master-data/sync';
import type { WorkOrderWatcherResult } from '../../workflows/watchers/work-order-watcher';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { waitForStage } from '../support/work-order-stage';
import { inProcessWorker, type TestWorker } from '../support/workers';

// A product created in Field Service, the products sync and the work order watcher: worker + Temporal +
// the Dynamics 365 sandboxes, with nothing set by hand in between.
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker;
const schedules: string[] = [];

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
  stack = await startStack('e2e-new-product');
  worker = await inProcessWorker(env, stack, workflowBundle);
});
afterAll(async () => {
  for (const scheduleId of schedules) {
    await env.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
  }
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

/**
 * A schedule of this test's own (the shared dev server's `sync-products` and `work-order-watcher` are other
 * files'), paused so it never fires by itself: each run is triggered.
 */
async function pausedSchedule(name: string, workflowType: string, input: (id: string) => unknown) {
  const scheduleId = `${name}-${randomUUID().slice(0, 8)}`;
  schedules.push(scheduleId);
  await env.client.schedule.create({
    scheduleId,
    spec: { intervals: [{ every: '365 days' }] },
    state: { paused: true },
    action: {
      type: 'startWorkflow',
      workflowType,
      workflowId: scheduleId,
      taskQueue: stack.config.temporal.taskQueue,
      args: [input(scheduleId)],
    },
  });
  return scheduleId;
}

/** Runs the schedule until `done` says its result is what was awaited (syncs leave the last seconds to later). */
async function runUntil<T>(scheduleId: string, done: (result: T) => boolean | Promise<boolean>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await runScheduleNow<T>(env.client, scheduleId);
    if (await done(result)) return result;
    if (Date.now() > deadline)
      throw new Error(`${scheduleId}: still not done, last run ${JSON.stringify(result)}`);
    await delay(500);
  }
}

/**
 * Dataverse stamps changes to the second: a watermark taken just before the current second misses no
 * change written from now on (a watermark of now would miss one written later in the same second).
 */
const secondBefore = (now: number) => new Date(Math.floor(now / 1000) * 1000 - 1);

async function idOf(entitySet: string, filter: string, key: string): Promise<string> {
  const { value } = await stack.dataverse<{ value: Record<string, string>[] }>(
    `${entitySet}?$filter=${filter}`,
  );
  return value[0]![key]!;
}

test('a product created in Field Service reaches F&O through the products sync, and the work order using it syncs with no manual step', async () => {
  const since = secondBefore(Date.now());
  const product = `P-FS-${randomUUID().slice(0, 6).toUpperCase()}`;
  await stack.createInDataverse('products', {
    productnumber: product,
    name: 'Drain pump',
    msdyn_fieldserviceproducttype: 690970000,
    price: 19.5,
    'defaultuomid@odata.bind': `/uoms(${await idOf('uoms', "msdyn_symbol eq 'ea'", 'uomid')})`,
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${await idOf('transactioncurrencies', "isocurrencycode eq 'USD'", 'transactioncurrencyid')})`,
  });
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    customer: 'US-002',
    products: [{ product, used: true, estimate: 4, quantity: 4, price: 19.5 }],
  });
  // Started before F&O has the product (an operator, a webhook): the template's filter refuses it.
  await startWorkOrder(env.client, stack.config, number);
  const handle: WorkflowHandle<typeof workOrderInvoicing> = env.client.workflow.getHandle(
    workOrderWorkflowId(number),
  );
  const parked = await waitForStage(handle, 'NeedsAttention');
  expect(parked.attention?.reason).toContain(`product ${product} is not maintained in F&O`);
  // Where the watcher stands by now: past the work order's own changes (it has read later ones since).
  const watcherMark = secondBefore(Date.now());

  const products = await pausedSchedule(
    'sync-products-new-product',
    masterDataSync.name,
    (scheduleId): SyncInput => ({
      scheduleId,
      sync: 'products',
      watermark: syncWatermarkAt(since),
      retry: [],
    }),
  );
  const releasedProduct = `ReleasedProductsV2(dataAreaId='usmf',ItemNumber='${product}')`;
  await runUntil<MasterDataSyncResult>(products, () =>
    stack.finance(releasedProduct).then(
      () => true,
      () => false,
    ),
  );
  expect(await stack.finance(releasedProduct)).toMatchObject({ ProductName: 'Drain pump', SalesPrice: 19.5 });
  expect(
    await stack.dataverse(`products(productnumber='${product}')?$select=msdynce_isexternallymaintained`),
  ).toMatchObject({ msdynce_isexternallymaintained: true });

  // The work order now has only products F&O maintains: the watcher reports it, and its workflow goes on.
  const watcher = await pausedSchedule(
    'work-order-watcher-new-product',
    workOrderWatcher.name,
    (scheduleId): WatcherInput<unknown> => ({ scheduleId, watermark: workOrderWatermarkAt(watcherMark) }),
  );
  await runUntil<WorkOrderWatcherResult>(watcher, (result) => result.startedOrSignalled > 0);
  await waitForStage(handle, 'AwaitingApproval');
  const { value: lines } = await stack.finance<{ value: Record<string, unknown>[] }>(
    `CDSSalesOrderLines?$filter=SalesOrderNumber eq '${number}'`,
  );
  expect(lines).toEqual([
    expect.objectContaining({
      ProductNumber: product,
      OrderedSalesQuantity: 4,
      SalesPrice: 19.5,
      LineAmount: 78,
    }),
  ]);
  await handle.terminate('test done');
});
