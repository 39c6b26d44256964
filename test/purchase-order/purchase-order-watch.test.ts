import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { setTimeout as delay } from 'node:timers/promises';
import { ChangedOrderIndex } from '../../activities/purchase-order/changed-order-index';
import { purchaseOrderWorkflowId, startPurchaseOrder } from '../../client/starters/purchase-order';
import { createConnectors } from '../../connectors';
import { applySyncSchedules, syncScheduleId } from '../../client/sync-schedules';
import { loadMappingProject } from '../../mappings/project/loader';
import type { purchaseOrderSync } from '../../workflows';
import { statusQuery } from '../../workflows/purchase-order/messages';
import { runSchedule } from '../master-data/support';
import { startStack, type Stack } from '../support/stack';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { createPurchaseOrder, updateInDataverse } from './field-service-purchase-orders';
import { connectorCatalog } from '../../connectors/entities/catalog';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker;
const SYNCS = ['vendors', 'vendor-records', 'purchase-orders', 'purchase-order-changes'];

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
  stack = await startStack('purchase-order-watch');
  worker = await inProcessWorker(env, stack, workflowBundle);
  const project = loadMappingProject(stack.config.mappingProject, connectorCatalog());
  await applySyncSchedules(env.client, stack.config, project, {
    every: '365 days',
    paused: true, // the test triggers each run
    since: new Date(Date.now() - 1000),
    only: SYNCS,
  });
});
afterAll(async () => {
  for (const sync of SYNCS) {
    await env.client.schedule
      .getHandle(syncScheduleId(sync))
      .delete()
      .catch(() => undefined);
  }
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

/** Both services stamp changes to the second; the watchers leave the last two seconds to their next run. */
const settle = () => delay(2_100);

async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await delay(200);
  }
}

test('vendors: a new F&O vendor becomes a Field Service account of type Vendor (the next run changes nothing) and a Field Service vendor', async () => {
  const created = await fetch(`${stack.sandboxes.urls.finance}/data/VendorsV2`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await token(stack.sandboxes.urls.finance)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      VendorAccountNumber: 'V-3000',
      VendorOrganizationName: 'Northwind Components',
      CurrencyCode: 'USD',
    }),
  });
  expect(created.status).toBe(201);
  const first = await runSchedule(env.client, syncScheduleId('vendors'));
  expect(first).toMatchObject({ created: 1, failed: [] });
  const { value } = await stack.dataverse<{ value: Record<string, unknown>[] }>(
    "accounts?$filter=accountnumber eq 'V-3000'&$select=name,customertypecode",
  );
  expect(value).toEqual([expect.objectContaining({ name: 'Northwind Components', customertypecode: 11 })]);
  expect(await runSchedule(env.client, syncScheduleId('vendors'))).toMatchObject({
    created: 0,
    updated: 0,
    failed: [],
  });
  // And as a Field Service vendor (msdyn_vendors), keyed by its account number.
  expect(await runSchedule(env.client, syncScheduleId('vendor-records'))).toMatchObject({
    created: 1,
    failed: [],
  });
  const vendors = await stack.dataverse<{ value: Record<string, unknown>[] }>(
    "msdyn_vendors?$filter=msdyn_vendoraccountnumber eq 'V-3000'&$select=msdyn_name,msdyn_vendorgroup",
  );
  expect(vendors.value).toEqual([expect.objectContaining({ msdyn_name: 'Northwind Components' })]);
});

test('the watchers start the workflow of a submitted order and tell it what F&O did, until it is received', async () => {
  const order = await createPurchaseOrder(stack, { lines: [{ product: 'P-1000', quantity: 3 }] });
  const draft = await createPurchaseOrder(stack, {
    status: 690970000,
    lines: [{ product: 'P-1000', quantity: 1 }],
  });
  await settle();
  expect(await runSchedule(env.client, syncScheduleId('purchase-orders'))).toMatchObject({ created: 1 });
  const handle = env.client.workflow.getHandle<typeof purchaseOrderSync>(
    purchaseOrderWorkflowId(order.number),
  );
  await eventually(
    'awaiting approval',
    () => handle.query(statusQuery),
    (state) => state.stage === 'AwaitingFinanceApproval',
  );
  await expect(
    env.client.workflow.getHandle(purchaseOrderWorkflowId(draft.number)).describe(),
  ).rejects.toThrow();

  // A line edited in Field Service: the order's total is recalculated, so the order itself changed.
  await updateInDataverse(stack, `msdyn_purchaseorderproducts(${order.lineIds[0]})`, { msdyn_quantity: 4 });
  await settle();
  expect(await runSchedule(env.client, syncScheduleId('purchase-orders'))).toMatchObject({ created: 1 });
  await eventually(
    'the edit in F&O',
    () =>
      stack.finance<{ OrderedPurchaseQuantity: number }>(
        `CDSPurchaseOrderLines(dataAreaId='usmf',PurchaseOrderNumber='${order.number}',LineNumber=1)`,
      ),
    (line) => line.OrderedPurchaseQuantity === 4,
  );

  for (const action of ['approve', 'receive']) {
    expect(
      (await stack.control('finance', `purchase-orders/usmf/${order.number}/${action}`, {})).status,
    ).toBe(200);
    await settle();
    // F&O's orders changed since the last run, ours among them: one query, whatever the number of waiting orders.
    expect(await runSchedule(env.client, syncScheduleId('purchase-order-changes'))).toMatchObject({
      updated: 1,
    });
  }
  expect(await handle.result()).toMatchObject({ stage: 'Received', recordedReceipts: [expect.any(Number)] });
  // The workflow's own writes to Field Service come back to the starter, which finds the workflow completed.
  await settle();
  expect(await runSchedule(env.client, syncScheduleId('purchase-orders'))).toMatchObject({ created: 0 });
});

async function token(resource: string): Promise<string> {
  const { urls, app } = stack.sandboxes;
  const response = await fetch(`${urls.token}/${app.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'client_credentials',
      scope: `${resource}/.default`,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

test("the daily re-check's shared index: one query tells every waiting workflow whether F&O changed its order", async () => {
  const { finance } = createConnectors(stack.config);
  const index = new ChangedOrderIndex(finance, { refreshMs: 0, lookbackDays: 3 });
  const order = await createPurchaseOrder(stack, { lines: [{ product: 'P-1000', quantity: 1 }] });
  await startPurchaseOrder(env.client, stack.config, order.number);
  const handle = env.client.workflow.getHandle<typeof purchaseOrderSync>(
    purchaseOrderWorkflowId(order.number),
  );
  const { finance: seen } = await eventually(
    'awaiting approval',
    () => handle.query(statusQuery),
    (state) => state.stage === 'AwaitingFinanceApproval',
  );
  expect(await index.changedSince(order.number, seen!.modifiedOn)).toBe(false);
  expect(await index.changedSince(order.number, '2020-01-01T00:00:00Z')).toBe(true);
  await delay(1_100); // F&O stamps to the second
  expect((await stack.control('finance', `purchase-orders/usmf/${order.number}/approve`, {})).status).toBe(
    200,
  );
  expect(await index.changedSince(order.number, seen!.modifiedOn)).toBe(true);
  await handle.terminate('test done');
});
