import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { setTimeout as delay } from 'node:timers/promises';
import type { InventoryDocumentKind } from '../../activities/inventory/contract';
import { inventoryDocumentWorkflowId, startInventoryDocument } from '../../client/starters/inventory';
import type { inventoryDocumentSync } from '../../workflows';
import { inventoryJournalPostedSignal, retryUpdate, statusQuery } from '../../workflows/inventory/messages';
import type { Stage } from '../../workflows/inventory/stages';
import { updateInDataverse } from '../agreement-invoice/field-service-invoices';
import { startStack, type Stack } from '../support/stack';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { untilIdle } from '../support/workflow-idle';
import {
  createAdjustment,
  createTransfer,
  editBypassingPlugins,
  fieldServiceOnHand,
  financeOnHand,
} from './documents';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
});
beforeEach(async () => {
  stack = await startStack('e2e-inventory');
  worker = await inProcessWorker(env, stack, workflowBundle);
});
afterEach(async () => {
  await worker.stop();
  await stack.close();
});
afterAll(() => env?.teardown());

type Handle = WorkflowHandle<typeof inventoryDocumentSync>;

async function start(kind: InventoryDocumentKind, name: string): Promise<Handle> {
  await startInventoryDocument(env.client, stack.config, { kind, name });
  return env.client.workflow.getHandle(inventoryDocumentWorkflowId(kind, name));
}

async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await delay(200);
  }
}

const waitForStage = (handle: Handle, stage: Stage) =>
  eventually(
    `stage ${stage}`,
    () => handle.query(statusQuery),
    (state) => state.stage === stage,
  );

interface JournalHeader {
  JournalNumber: string;
  IsPosted: string;
}

async function journalsOf(name: string): Promise<JournalHeader[]> {
  const { value } = await stack.finance<{ value: JournalHeader[] }>(
    `InventoryAdjustmentJournalHeaders?$filter=Description eq '${name}'`,
  );
  return value;
}

async function linesOf(journalNumber: string) {
  const { value } = await stack.finance<{
    value: {
      LineNumber: number;
      ItemNumber: string;
      InventoryQuantity: number;
      InventoryWarehouseId: string;
    }[];
  }>(`InventoryAdjustmentJournalEntriesV2?$filter=JournalNumber eq '${journalNumber}'&$orderby=LineNumber`);
  return value.map(({ LineNumber, ItemNumber, InventoryQuantity, InventoryWarehouseId }) => ({
    LineNumber,
    ItemNumber,
    InventoryQuantity,
    InventoryWarehouseId,
  }));
}

test('a Posted adjustment becomes one F&O journal, is posted there and recorded in Field Service; duplicate starts change nothing', async () => {
  const fieldServiceBefore = await fieldServiceOnHand(stack, 'P-1001', '11');
  const financeBefore = await financeOnHand(stack, 'P-1001', '11');
  const adjustment = await createAdjustment(stack, {
    warehouse: '11',
    lines: [
      { product: 'P-1001', quantity: -2 },
      { product: 'P-1000', quantity: 5 },
    ],
  });
  expect(await fieldServiceOnHand(stack, 'P-1001', '11')).toBe(fieldServiceBefore - 2);

  const handle = await start('adjustment', adjustment.name);
  const waiting = await waitForStage(handle, 'AwaitingPosting');
  const [journal] = await journalsOf(adjustment.name);
  expect(journal).toMatchObject({ JournalNumber: waiting.journal!.journalNumber, IsPosted: 'No' });
  expect(await linesOf(journal!.JournalNumber)).toEqual([
    { LineNumber: 1, ItemNumber: 'P-1001', InventoryQuantity: -2, InventoryWarehouseId: '11' },
    { LineNumber: 2, ItemNumber: 'P-1000', InventoryQuantity: 5, InventoryWarehouseId: '11' },
  ]);

  // Starting again only signals the running workflow: still one journal with two lines.
  await start('adjustment', adjustment.name);
  await start('adjustment', adjustment.name);
  await untilIdle(handle);
  expect(await journalsOf(adjustment.name)).toHaveLength(1);
  expect(await linesOf(journal!.JournalNumber)).toHaveLength(2);

  // F&O's "Post integration inventory journals" batch job, then the watcher's signal.
  expect((await stack.control('finance', 'inventory-journals/post')).status).toBe(200);
  await handle.signal(inventoryJournalPostedSignal);
  const done = await handle.result();
  expect(done).toMatchObject({
    stage: 'Recorded',
    journal: { journalNumber: journal!.JournalNumber, posted: true },
  });
  const recorded = await stack.dataverse<{ msdynce_journalnumber: string }>(
    `msdyn_inventoryadjustments(${adjustment.id})?$select=msdynce_journalnumber`,
  );
  expect(recorded.msdynce_journalnumber).toBe(journal!.JournalNumber);
  expect(await financeOnHand(stack, 'P-1001', '11')).toBe(financeBefore - 2);
  expect(await fieldServiceOnHand(stack, 'P-1001', '11')).toBe(
    (await financeOnHand(stack, 'P-1001', '11')) - (financeBefore - fieldServiceBefore),
  );

  expect(
    await startInventoryDocument(env.client, stack.config, { kind: 'adjustment', name: adjustment.name }),
  ).toBe('already-completed');
  expect(await journalsOf(adjustment.name)).toHaveLength(1);
});

test('bad documents wait in NeedsAttention with a reason a person can act on, and resume on retry', async () => {
  await stack.createInDataverse('msdyn_warehouses', {
    msdyn_name: 'VAN-FS-ONLY',
    msdynce_ismaintainedexternally: false,
  });
  const local = await createAdjustment(stack, {
    warehouse: 'VAN-FS-ONLY',
    lines: [{ product: 'P-1000', quantity: 1 }],
  });
  const localState = await waitForStage(await start('adjustment', local.name), 'NeedsAttention');
  expect(localState.attention?.reason).toMatch(
    /its warehouse VAN-FS-ONLY is not maintained externally .*use a warehouse synced from F&O/,
  );

  const sameWarehouse = await createTransfer(stack, {
    from: '11',
    to: '11',
    lines: [{ product: 'P-1000', quantity: 1 }],
  });
  const sameState = await waitForStage(await start('transfer', sameWarehouse.name), 'NeedsAttention');
  expect(sameState.attention?.reason).toMatch(/source and destination are the same warehouse/);

  const unknown = await createAdjustment(stack, {
    warehouse: '11',
    lines: [{ product: 'P-9000', quantity: 1 }],
  });
  const unknownState = await waitForStage(await start('adjustment', unknown.name), 'NeedsAttention');
  expect(unknownState.attention?.reason).toMatch(/product P-9000 is not maintained in F&O/);

  // Not Posted yet: posting it in Field Service is the fix, and a retry carries on.
  const draft = await createAdjustment(stack, {
    warehouse: '11',
    lines: [{ product: 'P-1000', quantity: 2 }],
    post: false,
  });
  const handle = await start('adjustment', draft.name);
  expect((await waitForStage(handle, 'NeedsAttention')).attention?.reason).toMatch(/not Posted yet/);
  await updateInDataverse(stack, `msdyn_inventoryadjustments(${draft.id})`, { msdynce_poststatus: 2 });
  await handle.executeUpdate(retryUpdate, { args: [{ requestedBy: 'test' }] });
  await waitForStage(handle, 'AwaitingPosting');
  expect(await journalsOf(draft.name)).toHaveLength(1);
  expect(await journalsOf(local.name)).toHaveLength(0);
});

test('a transfer moves F&O stock between its two warehouses once posted', async () => {
  const source = await financeOnHand(stack, 'P-1000', '11');
  const destination = await financeOnHand(stack, 'P-1000', '13');
  const transfer = await createTransfer(stack, {
    from: '11',
    to: '13',
    lines: [{ product: 'P-1000', quantity: 4 }],
  });
  const handle = await start('transfer', transfer.name);
  const { journal } = await waitForStage(handle, 'AwaitingPosting');
  const { value } = await stack.finance<{ value: Record<string, unknown>[] }>(
    `InventoryTransferJournalEntries?$filter=JournalNumber eq '${journal!.journalNumber}'`,
  );
  expect(value).toEqual([
    expect.objectContaining({
      LineNumber: 1,
      ItemNumber: 'P-1000',
      InventoryQuantity: 4,
      SourceWarehouseId: '11',
      DestinationWarehouseId: '13',
      SourceInventorySiteId: '1',
    }),
  ]);
  expect(
    (await stack.control('finance', `inventory-journals/usmf/${journal!.journalNumber}/post`)).status,
  ).toBe(200);
  await handle.signal(inventoryJournalPostedSignal);
  expect(await handle.result()).toMatchObject({ stage: 'Recorded' });
  expect(await financeOnHand(stack, 'P-1000', '11')).toBe(source - 4);
  expect(await financeOnHand(stack, 'P-1000', '13')).toBe(destination + 4);
});

test('a Posted adjustment edited afterwards needs attention and leaves the F&O journal as it was; undone, it carries on', async () => {
  const adjustment = await createAdjustment(stack, {
    warehouse: '11',
    lines: [{ product: 'P-1000', quantity: 3 }],
  });
  const handle = await start('adjustment', adjustment.name);
  const { journal } = await waitForStage(handle, 'AwaitingPosting');
  const { value: lines } = await stack.dataverse<{ value: { msdyn_inventoryadjustmentproductid: string }[] }>(
    `msdyn_inventoryadjustmentproducts?$filter=_msdyn_inventoryadjustment_value eq ${adjustment.id}`,
  );
  const line = `msdyn_inventoryadjustmentproducts(${lines[0]!.msdyn_inventoryadjustmentproductid})`;
  await editBypassingPlugins(stack, line, { msdyn_quantity: 30 });
  await start('adjustment', adjustment.name);
  const attention = await waitForStage(handle, 'NeedsAttention');
  expect(attention.attention?.reason).toMatch(
    new RegExp(
      `changed after it was Posted: F&O journal ${journal!.journalNumber} says otherwise .*InventoryQuantity: 3 in F&O, 30 in Field Service`,
    ),
  );
  expect(await linesOf(journal!.journalNumber)).toEqual([expect.objectContaining({ InventoryQuantity: 3 })]);

  await editBypassingPlugins(stack, line, { msdyn_quantity: 3 });
  await handle.executeUpdate(retryUpdate, { args: [{ requestedBy: 'test' }] });
  await waitForStage(handle, 'AwaitingPosting');
  expect(await journalsOf(adjustment.name)).toHaveLength(1);
});
