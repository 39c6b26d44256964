import { ScheduleNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SETTLE_MS } from '../../activities/settle';
import { inventoryDocumentWorkflowId } from '../../client/starters/inventory';
import { compareInventory } from '../../client/inventory-compare';
import { runSyncNow } from '../../client/inventory-sync';
import { applySyncSchedules, syncScheduleId } from '../../client/sync-schedules';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { createConnectors } from '../../connectors';
import { loadMappingProject } from '../../mappings/project/loader';
import { writeWorkflowBundle } from '../../scripts/bundle-workflows';
import type { inventoryDocumentSync, workOrderInvoicing } from '../../workflows';
import { statusQuery as documentStatus } from '../../workflows/inventory/messages';
import type { MasterDataSyncResult } from '../../workflows/master-data/sync';
import {
  approveInvoicingUpdate,
  invoicePostedSignal,
  statusQuery as workOrderStatus,
} from '../../workflows/work-order/messages';
import { updateInDataverse } from '../agreement-invoice/field-service-invoices';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { TEST_NAMESPACES } from '../support/namespaces';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { createAdjustment, createTransfer, financeOnHand } from './documents';
import { inProcessWorker, processWorker, type TestWorker } from '../support/workers';
import { connectorCatalog } from '../../connectors/entities/catalog';

// The `sync-*` schedules of this file, apart from those of other files that run at the same time.
const NAMESPACE = TEST_NAMESPACES.inventoryConvergence;
const SYNCS = [
  'warehouses',
  'on-hand',
  'inventory-adjustments',
  'inventory-transfers',
  'inventory-adjustment-postings',
  'inventory-transfer-postings',
];

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let workflowBundleFile: string;
let stack: Stack;
let worker: TestWorker | undefined;

beforeAll(async () => {
  env = await connectToTestServer(NAMESPACE);
  workflowBundle = await bundleWorkflows();
  workflowBundleFile = join(mkdtempSync(join(tmpdir(), 'fsfo-inventory-')), 'workflow-bundle.js');
  await writeWorkflowBundle(workflowBundleFile);
});
beforeEach(async () => {
  stack = await startStack('e2e-inventory-convergence', {}, { TEMPORAL_NAMESPACE: NAMESPACE });
  await applySyncSchedules(
    env.client,
    stack.config,
    loadMappingProject(stack.config.mappingProject, connectorCatalog()),
    {
      every: '365 days',
      since: new Date(0),
      paused: true, // each run is the test's (runSyncNow triggers it)
      only: SYNCS,
    },
  );
});
afterEach(async () => {
  await worker?.stop();
  for (const sync of SYNCS) {
    await env.client.schedule
      .getHandle(syncScheduleId(sync))
      .delete()
      .catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
  }
  await stack.close();
});
afterAll(() => env?.teardown());

async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    // A query may time out while a busy worker catches up: ask again.
    const value = await read().then(
      (ok) => ({ ok }),
      (error: unknown) => ({ error }),
    );
    if ('ok' in value && done(value.ok)) return value.ok;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await delay(250);
  }
}

/** Syncs reading Field Service by `modifiedon` leave the last `SETTLE_MS` to their next run. */
const FIELD_SERVICE_SOURCED = new Set(['inventory-adjustments', 'inventory-transfers']);
const sync = async (name: string): Promise<MasterDataSyncResult> => {
  if (FIELD_SERVICE_SOURCED.has(name)) await delay(SETTLE_MS + 100);
  return runSyncNow(env.client, name);
};
const wroteNothing = (result: MasterDataSyncResult) => result.created + result.updated === 0;
const reasons = (result: MasterDataSyncResult) =>
  result.failed.map((failure) => `${failure.key}: ${failure.reason}`);

const documentHandle = (kind: 'adjustment' | 'transfer', name: string) =>
  env.client.workflow.getHandle<typeof inventoryDocumentSync>(inventoryDocumentWorkflowId(kind, name));
const workOrderHandle = (number: string) =>
  env.client.workflow.getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(number));

async function setFaults(faults: Record<string, number>): Promise<void> {
  for (const service of ['dataverse', 'finance'] as const)
    expect((await stack.control(service, 'faults', faults, 'PUT')).status).toBe(200);
}

/**
 * A work order using 3 P-1000 from warehouse 13 and allocating a P-1001 there, an adjustment at 11, a transfer
 * 11 → 13, an F&O stock count and on-hand syncs in between. `disturb` runs at the points where a crash or
 * faults hurt most: with documents in flight.
 */
async function scenario(disturb: () => Promise<void>): Promise<void> {
  // The demo's work orders never go to F&O here (workflow IDs are per server, shared by the test files):
  // cancelled, their usage is Field Service's alone, and F&O's level wins.
  await updateInDataverse(stack, "msdyn_workorders(msdyn_name='WO-00003')", {
    msdyn_systemstatus: SystemStatus.Canceled,
  });
  expect(wroteNothing(await sync('warehouses'))).toBe(true);
  const first = await sync('on-hand');
  expect(reasons(first)).toEqual([]);
  expect(first.updated).toBe(2); // P-1000 and P-1001 in 13, used by WO-00003 and WO-00004

  const number = await createWorkOrder(stack, {
    status: SystemStatus.InProgress,
    customer: 'US-003',
    products: [
      { product: 'P-1000', used: true, estimate: 3, quantity: 3, price: 45, warehouse: '13' },
      { product: 'P-1001', allocated: true, estimate: 1, quantity: 0, price: 1250, warehouse: '13' },
    ],
  });
  await startWorkOrder(env.client, stack.config, number);
  const adjustment = await createAdjustment(stack, {
    warehouse: '11',
    lines: [
      { product: 'P-1000', quantity: 5 },
      { product: 'P-1001', quantity: -2 },
    ],
  });
  const transfer = await createTransfer(stack, {
    from: '11',
    to: '13',
    lines: [{ product: 'P-1001', quantity: 3 }],
  });
  await disturb();
  expect((await sync('inventory-adjustments')).created).toBe(1);
  expect((await sync('inventory-transfers')).created).toBe(1);
  for (const [kind, name] of [
    ['adjustment', adjustment.name],
    ['transfer', transfer.name],
  ] as const) {
    await eventually(
      `${kind} ${name}`,
      () => documentHandle(kind, name).query(documentStatus),
      (state) => state.stage === 'AwaitingPosting',
    );
  }
  // Mid-flight: the levels the documents moved wait for F&O, the others are left alone.
  const midway = await sync('on-hand');
  expect(wroteNothing(midway)).toBe(true);

  const workOrder = workOrderHandle(number);
  const stageOf = (stage: string) =>
    eventually(
      number,
      () => workOrder.query(workOrderStatus),
      (state) => state.stage === stage,
    );
  await stageOf('AwaitingApproval');
  // The allocated part is reserved in F&O, not taken.
  const reserved = await stack.finance<{ value: { ReservedOnHandQuantity: number }[] }>(
    "WarehousesOnHandV2?$filter=ItemNumber eq 'P-1001' and InventoryWarehouseId eq '13'",
  );
  expect(reserved.value[0]!.ReservedOnHandQuantity).toBe(1);
  await workOrder.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
  await stageOf('AwaitingInvoice');

  expect((await stack.control('finance', 'inventory-journals/post')).status).toBe(200);
  await disturb();
  await sync('inventory-adjustment-postings');
  await sync('inventory-transfer-postings');
  expect(await documentHandle('adjustment', adjustment.name).result()).toMatchObject({ stage: 'Recorded' });
  expect(await documentHandle('transfer', transfer.name).result()).toMatchObject({ stage: 'Recorded' });

  const invoice = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
  expect(invoice.status).toBe(200);
  const { InvoiceNumber } = (await invoice.json()) as { InvoiceNumber: string };
  await workOrder.signal(invoicePostedSignal, { invoiceNumber: InvoiceNumber, legalEntity: 'usmf' });
  expect(await workOrder.result()).toMatchObject({ stage: 'Invoiced' });

  // Someone counts stock in F&O.
  const counted = (await financeOnHand(stack, 'P-1000', '11')) + 7;
  expect((await stack.control('finance', 'on-hand/usmf/11/P-1000', { onHand: counted }, 'PUT')).status).toBe(
    200,
  );

  const second = await sync('on-hand');
  expect(reasons(second)).toEqual([]);
  expect(second.updated).toBe(1);
  await setFaults({});
  expect(await compareInventory(createConnectors(stack.config))).toMatchObject({ differences: [] });
  expect(wroteNothing(await sync('on-hand'))).toBe(true);
}

test('after work orders, an adjustment, a transfer and on-hand syncs both systems hold the same stock', async () => {
  worker = await inProcessWorker(env, stack, workflowBundle);
  await scenario(async () => undefined);
});

test('the same with the worker killed while documents are in flight', async () => {
  worker = processWorker(stack, workflowBundleFile);
  await scenario(async () => {
    await worker!.stop();
    worker = processWorker(stack, workflowBundleFile);
  });
}, 240_000);

test('the same with 20 % of requests throttled', async () => {
  worker = await inProcessWorker(env, stack, workflowBundle);
  await scenario(() => setFaults({ throttleRate: 0.2, throttleRetryAfterSeconds: 1 }));
}, 240_000);
