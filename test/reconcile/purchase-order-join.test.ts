import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { purchaseOrderWorkflowId, startPurchaseOrder } from '../../client/purchase-order-starter';
import { createPurchaseOrder, updateInDataverse } from '../purchase-order/field-service-purchase-orders';
import type { Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { inProcessWorker, type TestWorker } from '../support/workers';
import {
  afterTheWorkflowsRead,
  asFinanceUser,
  awaitingApproval,
  awaitingReceipt,
  inFinance,
  inStage,
  type PurchaseOrderHandle,
  receivedInPart,
  submittedPurchaseOrder,
  visible,
  waitForState,
} from './purchase-order-support';
import { eventually, reconcile, resetStats, startReconcileStack, writes } from './support';

// `fsfo reconcile` (the function the CLI runs) against worker + Temporal + the sandboxes, for purchase orders.
// Each test starts from a state reconcile reports clean, causes one drift as a Field Service or F&O user
// would (or as a missed watcher report leaves it), and checks that reconcile reports exactly that drift with
// its fix; `--fix` repairs what a workflow can repair, and then all is clean.
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker | undefined;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
});
beforeEach(async () => {
  stack = await startReconcileStack('reconcile-po');
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await stack.close();
});
afterAll(() => env?.teardown());

async function startWorker(): Promise<void> {
  worker = await inProcessWorker(env, stack, workflowBundle);
}

const run = (options: Parameters<typeof reconcile>[2] = {}) => reconcile(env.client, stack, options);
const handleOf = (number: string): PurchaseOrderHandle =>
  env.client.workflow.getHandle(purchaseOrderWorkflowId(number));

/** Reconcile finds nothing, and a `--fix` then starts nothing and writes nothing. */
async function expectClean(): Promise<void> {
  const report = await run();
  expect(report.drifts).toEqual([]);
  expect(Object.values(report.counts).every((count) => count === 0)).toBe(true);
  await resetStats(stack);
  expect((await run({ fix: true })).repairs).toEqual([]);
  expect(await writes(stack)).toEqual([]);
}

/** `--fix` on a drift no workflow can repair: it lists it for a person and starts or writes nothing. */
async function expectOnlyAPerson(): Promise<void> {
  await resetStats(stack);
  const fixed = await run({ fix: true });
  expect(fixed.repairs).toEqual([]);
  expect(fixed.drifts.length).toBeGreaterThan(0);
  expect(fixed.drifts.every((drift) => drift.fix.person && !drift.fix.repair)).toBe(true);
  expect(await writes(stack)).toEqual([]);
}

const notify = (number: string) => ({
  command: `fsfo purchase-order notify ${number}`,
  repair: { action: 'notifyPurchaseOrder', purchaseOrderNumber: number },
});
const lineOne = (number: string) =>
  `CDSPurchaseOrderLines(dataAreaId='usmf',PurchaseOrderNumber='${number}',LineNumber=1)`;

test('orphan: a submitted purchase order no workflow follows; --fix starts it, and then all is clean', async () => {
  await startWorker();
  await expectClean();
  const { number } = await submittedPurchaseOrder(stack); // the purchase order sync never reported it

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'orphan',
      join: 'purchase orders',
      document: 'purchase order',
      key: number,
      finance: null,
      workflow: null,
      fix: {
        command: `fsfo purchase-order start ${number}`,
        repair: { action: 'startPurchaseOrder', purchaseOrderNumber: number },
      },
    }),
  ]);
  expect(report.drifts[0]!.message).toBe(
    `Purchase order ${number} goes to F&O, but no workflow follows it: F&O has no order of it.`,
  );
  expect(report.checked).toBe(1);

  expect((await run({ fix: true })).repairs).toEqual([
    { command: `fsfo purchase-order start ${number}`, outcome: 'workflow started or told of a change' },
  ]);
  await inStage(env.client, number, 'AwaitingFinanceApproval');
  await expectClean();
});

test('header differs: F&O approves an order and no watcher reports it; --fix tells its workflow', async () => {
  await startWorker();
  const { number } = await submittedPurchaseOrder(stack);
  await awaitingApproval(env.client, stack, number);
  await expectClean();
  await inFinance(env.client, stack, number, 'approve');

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'header differs',
      document: 'purchase order',
      key: number,
      fieldService: { msdyn_approvalstatus: null, msdyn_documentapprovalstatus: 192350000 },
      finance: { DocumentApprovalStatus: 'Approved' },
      workflow: {
        workflowId: purchaseOrderWorkflowId(number),
        status: 'Running',
        stage: 'AwaitingFinanceApproval',
      },
      fix: notify(number),
    }),
  ]);
  expect(report.drifts[0]!.message).toBe(
    `Purchase order ${number} differs between Field Service and F&O: msdyn_approvalstatus: Field Service ` +
      '(none), F&O DocumentApprovalStatus Approved (690970000); msdyn_documentapprovalstatus: Field Service ' +
      '192350000, F&O DocumentApprovalStatus Approved (192350002).',
  );

  expect((await run({ fix: true })).repairs).toEqual([
    {
      command: `fsfo purchase-order notify ${number}`,
      outcome: 'its workflow reads Field Service and F&O again',
    },
  ]);
  await inStage(env.client, number, 'AwaitingReceipt');
  await expectClean();
});

test('lines differ: procurement corrects a quantity in F&O unreported; --fix has the workflow show it in Field Service', async () => {
  await startWorker();
  const order = await submittedPurchaseOrder(stack, 5);
  const state = await awaitingApproval(env.client, stack, order.number);
  await expectClean();
  await afterTheWorkflowsRead(state);
  await asFinanceUser(stack, 'PATCH', lineOne(order.number), { OrderedPurchaseQuantity: 6 });

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'lines differ',
      document: 'purchase order',
      key: order.number,
      fieldService: { 'line 1 OrderedPurchaseQuantity': 5, 'line 1 msdyn_lineamount': 85.5 },
      finance: { 'line 1 OrderedPurchaseQuantity': 6, 'line 1 LineAmount': 102.6 },
      fix: notify(order.number),
    }),
  ]);
  expect(report.drifts[0]!.message).toBe(
    `Purchase order ${order.number} differs between Field Service and F&O: line 1 OrderedPurchaseQuantity: ` +
      'Field Service 5, F&O 6; line 1 msdyn_lineamount: Field Service 85.5, F&O LineAmount 102.6.',
  );

  await run({ fix: true });
  await eventually(async () =>
    expect(
      await stack.dataverse(
        `msdyn_purchaseorderproducts(${order.lineIds[0]})?$select=msdyn_quantity,msdyn_lineamount`,
      ),
    ).toMatchObject({ msdyn_quantity: 6, msdyn_lineamount: 102.6 }),
  );
  await inStage(env.client, order.number, 'AwaitingFinanceApproval');
  await expectClean();
});

test('lines differ: a quantity changed in Field Service and never reported; --fix has the workflow write it to F&O', async () => {
  await startWorker();
  const order = await submittedPurchaseOrder(stack, 5);
  await awaitingApproval(env.client, stack, order.number);
  await expectClean();
  await updateInDataverse(stack, `msdyn_purchaseorderproducts(${order.lineIds[0]})`, { msdyn_quantity: 7 });

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'lines differ',
      key: order.number,
      fieldService: { 'line 1 OrderedPurchaseQuantity': 7 },
      finance: { 'line 1 OrderedPurchaseQuantity': 5 },
      fix: notify(order.number),
    }),
  ]);

  await run({ fix: true });
  await eventually(async () =>
    expect(await stack.finance(lineOne(order.number))).toMatchObject({ OrderedPurchaseQuantity: 7 }),
  );
  await eventually(async () =>
    expect(
      await stack.dataverse(`msdyn_purchaseorderproducts(${order.lineIds[0]})?$select=msdyn_lineamount`),
    ).toMatchObject({ msdyn_lineamount: 119.7 }),
  );
  await inStage(env.client, order.number, 'AwaitingFinanceApproval');
  await expectClean();
});

test('converged: received in full and cancelled, their workflows completed, both are clean', async () => {
  await startWorker();
  const received = await submittedPurchaseOrder(stack);
  await awaitingReceipt(env.client, stack, received.number);
  await receivedInPart(env.client, stack, received.number, 4);
  await inFinance(env.client, stack, received.number, 'receive', { tell: true });
  expect(await handleOf(received.number).result()).toMatchObject({ stage: 'Received' });
  const cancelled = await submittedPurchaseOrder(stack);
  await awaitingApproval(env.client, stack, cancelled.number);
  await inFinance(env.client, stack, cancelled.number, 'cancel', { tell: true });
  expect(await handleOf(cancelled.number).result()).toMatchObject({ stage: 'Cancelled' });
  for (const { number } of [received, cancelled])
    await visible(env.client, number, `ExecutionStatus = 'Completed'`);

  await expectClean();
  expect((await run()).checked).toBe(2);
});

test('lines differ: a line procurement adds in F&O; the workflow is told, and once it has read it a person decides', async () => {
  await startWorker();
  const { number } = await submittedPurchaseOrder(stack);
  const state = await awaitingApproval(env.client, stack, number);
  await expectClean();
  await afterTheWorkflowsRead(state);
  await stack.createInFinance('CDSPurchaseOrderLines', {
    PurchaseOrderNumber: number,
    LineNumber: 2,
    ProductNumber: 'P-1001',
    OrderedPurchaseQuantity: 1,
  });
  const added = expect.objectContaining({
    class: 'lines differ',
    key: number,
    fieldService: { 'line 2 line': null },
    finance: { 'line 2 line': 'present' },
  });

  // The workflow has not read F&O's change: telling it is the repair.
  const report = await run();
  expect(report.drifts).toEqual([added]);
  expect(report.drifts[0]!.message).toBe(
    `Purchase order ${number} differs between Field Service and F&O: line 2 only in F&O.`,
  );
  expect(report.drifts[0]!.fix).toEqual(notify(number));
  await run({ fix: true });

  // It has read it and cannot add a line to Field Service's order: a person decides.
  await eventually(async () => {
    const again = await run();
    expect(again.drifts).toEqual([added]);
    expect(again.drifts[0]!.fix).toEqual({
      person: expect.stringContaining('a line added in F&O must be added in Field Service or deleted in F&O'),
      command: `fsfo purchase-order notify ${number}`,
    });
  });
  await expectOnlyAPerson();
});

test('not recorded: F&O receives part of an order and no watcher reports it; --fix has the workflow record it', async () => {
  await startWorker();
  const { number } = await submittedPurchaseOrder(stack);
  await awaitingReceipt(env.client, stack, number);
  await expectClean();
  const receipt = await inFinance(env.client, stack, number, 'receive', {
    body: { lines: [{ lineNumber: 1, quantity: 4 }] },
  });

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'not recorded',
      document: 'F&O product receipt',
      key: receipt.ProductReceiptNumber,
      fieldService: null,
      finance: {
        ProductReceiptNumber: receipt.ProductReceiptNumber,
        RecordId: receipt.RecordId,
        lines: [{ RecordId: expect.any(Number), PurchaseOrderLineNumber: 1, ReceivedPurchaseQuantity: 4 }],
      },
      workflow: expect.objectContaining({ stage: 'AwaitingReceipt' }),
      fix: notify(number),
    }),
  ]);

  await run({ fix: true });
  await waitForState(handleOf(number), 'receipt recorded', (state) =>
    state.recordedReceipts.includes(Number(receipt.RecordId)),
  );
  await inStage(env.client, number, 'AwaitingReceipt');
  await expectClean();
});

test('duplicated: a receipt recorded a second time in Field Service needs a person', async () => {
  await startWorker();
  const order = await submittedPurchaseOrder(stack);
  await awaitingReceipt(env.client, stack, order.number);
  const { receiptNumber, recordId } = await receivedInPart(env.client, stack, order.number, 4);
  await expectClean();
  // An import records the same F&O receipt again, under a record id of its own.
  await stack.createInDataverse('msdyn_purchaseorderreceipts', {
    msdyn_name: receiptNumber,
    msdyn_recordid: 987654321,
    'msdyn_purchaseorder@odata.bind': `/msdyn_purchaseorders(${order.id})`,
  });

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'duplicated',
      document: 'Field Service receipt',
      key: receiptNumber,
      fieldService: {
        receipts: [
          { msdyn_name: receiptNumber, msdyn_recordid: recordId },
          { msdyn_name: receiptNumber, msdyn_recordid: 987654321 },
        ],
      },
      finance: { ProductReceiptNumber: receiptNumber, RecordId: recordId },
    }),
  ]);
  await expectOnlyAPerson();
});

test('orphan: a Field Service receipt that records no F&O receipt of its order needs a person', async () => {
  await startWorker();
  const order = await submittedPurchaseOrder(stack);
  await awaitingReceipt(env.client, stack, order.number);
  await expectClean();
  await stack.createInDataverse('msdyn_purchaseorderreceipts', {
    msdyn_name: 'PR-IMPORTED',
    msdyn_recordid: 987654321,
    'msdyn_purchaseorder@odata.bind': `/msdyn_purchaseorders(${order.id})`,
  });

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'orphan',
      document: 'Field Service receipt',
      key: 'PR-IMPORTED',
      fieldService: { msdyn_name: 'PR-IMPORTED', msdyn_recordid: 987654321 },
      finance: null,
    }),
  ]);
  await expectOnlyAPerson();
});

test('totals differ: a received quantity changed in Field Service needs a person', async () => {
  await startWorker();
  const order = await submittedPurchaseOrder(stack);
  await awaitingReceipt(env.client, stack, order.number);
  await receivedInPart(env.client, stack, order.number, 4);
  await expectClean();
  await updateInDataverse(stack, `msdyn_purchaseorderproducts(${order.lineIds[0]})`, {
    msdyn_qtyreceived: 5,
  });

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'totals differ',
      document: 'purchase order',
      key: order.number,
      fieldService: { 'line 1 msdyn_qtyreceived': 5 },
      finance: { 'line 1 received': 4 },
      fix: {
        person: `Correct purchase order ${order.number} in Field Service to F&O's figures; F&O's lines and product receipts are the record.`,
      },
    }),
  ]);
  await expectOnlyAPerson();
});

test('missing: procurement deletes the Draft F&O order the workflow wrote; a person decides', async () => {
  await startWorker();
  const { number } = await submittedPurchaseOrder(stack);
  await awaitingApproval(env.client, stack, number);
  await expectClean();
  await asFinanceUser(
    stack,
    'DELETE',
    `PurchaseOrderHeadersV2(dataAreaId='usmf',PurchaseOrderNumber='${number}')`,
  );

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'missing',
      document: 'F&O purchase order',
      key: number,
      finance: null,
      fix: {
        person:
          `Procurement deleted F&O purchase order ${number}. If it is still wanted, change purchase order ` +
          `${number} in Field Service and its workflow writes it to F&O again; if not, cancel it in Field ` +
          `Service and terminate workflow purchase-order-${number}.`,
      },
    }),
  ]);
  await expectOnlyAPerson();
});

test('needs attention: a parked workflow is listed with its reason and the retry command', async () => {
  await startWorker();
  await expectClean();
  const { number } = await createPurchaseOrder(stack, {
    lines: [{ product: 'P-1000', quantity: 1, unit: null }],
  });
  // Before its workflow starts, the order itself says what F&O could not take.
  expect((await run()).drifts).toEqual([
    expect.objectContaining({
      class: 'needs attention',
      document: 'purchase order',
      key: number,
      message: `Purchase order ${number} cannot go to F&O: line 1 has no unit.`,
      fix: {
        person: `Fix purchase order ${number} in Field Service, then run the command.`,
        command: `fsfo purchase-order start ${number}`,
      },
    }),
  ]);
  await startPurchaseOrder(env.client, stack.config, number);
  await inStage(env.client, number, 'NeedsAttention');

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'needs attention',
      document: 'workflow',
      key: purchaseOrderWorkflowId(number),
      fix: {
        person: 'Fix what the reason says, then run the command.',
        command: `fsfo purchase-order retry ${number}`,
      },
    }),
  ]);
  expect(report.drifts[0]!.message).toContain('line 1 has no unit');
  await expectOnlyAPerson();
});

test('orphan: an F&O order of this integration whose Field Service order was deleted, its workflow waiting', async () => {
  await startWorker();
  const { number } = await submittedPurchaseOrder(stack);
  await awaitingApproval(env.client, stack, number);
  await expectClean();
  await stack.deleteInDataverse(`msdyn_purchaseorders(msdyn_name='${number}')`);

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'orphan',
      document: 'F&O purchase order',
      key: number,
      fieldService: null,
      finance: {
        PurchaseOrderNumber: number,
        DocumentApprovalStatus: 'Draft',
        PurchaseOrderStatus: 'Backorder',
      },
      workflow: {
        workflowId: purchaseOrderWorkflowId(number),
        status: 'Running',
        stage: 'AwaitingFinanceApproval',
      },
    }),
  ]);
  await expectOnlyAPerson();
});

test('in flight is not drift: a workflow that has not written F&O yet, an order submitted a moment ago', async () => {
  // No worker: the workflow is started but has not read its order yet (stage SyncingPurchaseOrder).
  const started = await submittedPurchaseOrder(stack);
  await startPurchaseOrder(env.client, stack.config, started.number);
  await visible(env.client, started.number, `IntegrationStage = 'SyncingPurchaseOrder'`);
  const submitted = await submittedPurchaseOrder(stack); // the purchase order sync reports it within its period

  const now = await run({ now: new Date() });
  expect(now.drifts).toEqual([]);
  expect(now.inFlight).toBe(2);
  expect(now.checked).toBe(3); // two purchase orders, one running workflow

  const later = await run();
  expect(later.inFlight).toBe(1);
  expect(later.drifts).toEqual([expect.objectContaining({ class: 'orphan', key: submitted.number })]);
});

test('--since: only purchase orders changed in Field Service since the date are compared', async () => {
  const { number } = await submittedPurchaseOrder(stack);
  const tomorrow = new Date(Date.now() + 86_400_000);
  expect(await run({ since: tomorrow })).toMatchObject({ checked: 0, drifts: [] });
  const anHourAgo = new Date(Date.now() - 3_600_000);
  expect((await run({ since: anHourAgo })).drifts).toEqual([
    expect.objectContaining({ class: 'orphan', key: number }),
  ]);
});

test('a page costs the same requests for one purchase order or five: key filters, never a request per order', async () => {
  const requests = async () => {
    let total = 0;
    for (const service of ['dataverse', 'finance'] as const) {
      total += ((await (await stack.control(service, 'stats', undefined, 'GET')).json()) as { total: number })
        .total;
    }
    return total;
  };
  await submittedPurchaseOrder(stack);
  await resetStats(stack);
  expect((await run()).checked).toBe(1);
  const forOne = await requests();

  for (let more = 0; more < 4; more++) await submittedPurchaseOrder(stack);
  await resetStats(stack);
  expect((await run()).checked).toBe(5);
  expect(await requests()).toBe(forOne);
});
