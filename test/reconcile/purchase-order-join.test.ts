import { purchaseOrderWorkflowId, startPurchaseOrder } from '../../client/starters/purchase-order';
import { createPurchaseOrder, updateInDataverse } from '../purchase-order/field-service-purchase-orders';
import { PurchaseOrderNumber } from '../../workflows/search-attributes';
import {
  afterTheWorkflowsRead,
  awaitingApproval,
  awaitingReceipt,
  inFinance,
  inStage,
  type PurchaseOrderHandle,
  receivedInPart,
  submittedPurchaseOrder,
  waitForState,
} from './purchase-order-support';
import { asFinanceUser, eventually, joinTestbed, resetStats, visible } from './support';

// The purchase order join of `fsfo reconcile` (the function the CLI runs) against worker + Temporal + the
// sandboxes, each drift class seeded as a Field Service or F&O user (or a missed watcher report) would
// cause it (see `JoinTestbed`).
const bed = joinTestbed('reconcile-po');

const handleOf = (number: string): PurchaseOrderHandle =>
  bed.env.client.workflow.getHandle(purchaseOrderWorkflowId(number));
const visibleAs = (number: string, condition: string) =>
  visible(bed.env.client, PurchaseOrderNumber, number, condition);

const notify = (number: string) => ({
  command: `fsfo purchase-order notify ${number}`,
  repair: { action: 'notifyPurchaseOrder', purchaseOrderNumber: number },
});
/** What `--fix` reports of a `notify` repair. */
const notified = (number: string) => ({
  command: `fsfo purchase-order notify ${number}`,
  outcome: 'its workflow reads Field Service and F&O again',
});
const lineOne = (number: string) =>
  `CDSPurchaseOrderLines(dataAreaId='usmf',PurchaseOrderNumber='${number}',LineNumber=1)`;

test('orphan: a submitted purchase order no workflow follows; --fix starts it, and then all is clean', async () => {
  await bed.startWorker();
  await bed.expectClean();
  const { number } = await submittedPurchaseOrder(bed.stack); // the purchase order sync never reported it

  const report = await bed.expectDrifts([
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

  await bed.expectRepaired(
    [{ command: `fsfo purchase-order start ${number}`, outcome: 'workflow started or told of a change' }],
    () => inStage(bed.env.client, number, 'AwaitingFinanceApproval'),
  );
});

test('header differs: F&O approves an order and no watcher reports it; --fix tells its workflow', async () => {
  await bed.startWorker();
  const { number } = await submittedPurchaseOrder(bed.stack);
  await awaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await inFinance(bed.env.client, bed.stack, number, 'approve');

  const report = await bed.expectDrifts([
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

  await bed.expectRepaired([notified(number)], () => inStage(bed.env.client, number, 'AwaitingReceipt'));
});

test('lines differ: procurement corrects a quantity in F&O unreported; --fix has the workflow show it in Field Service', async () => {
  await bed.startWorker();
  const order = await submittedPurchaseOrder(bed.stack, 5);
  const state = await awaitingApproval(bed.env.client, bed.stack, order.number);
  await bed.expectClean();
  await afterTheWorkflowsRead(state);
  await asFinanceUser(bed.stack, 'PATCH', lineOne(order.number), { OrderedPurchaseQuantity: 6 });

  const report = await bed.expectDrifts([
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

  await bed.expectRepaired([notified(order.number)], async () => {
    await eventually(async () =>
      expect(
        await bed.stack.dataverse(
          `msdyn_purchaseorderproducts(${order.lineIds[0]})?$select=msdyn_quantity,msdyn_lineamount`,
        ),
      ).toMatchObject({ msdyn_quantity: 6, msdyn_lineamount: 102.6 }),
    );
    await inStage(bed.env.client, order.number, 'AwaitingFinanceApproval');
  });
});

test('lines differ: a quantity changed in Field Service and never reported; --fix has the workflow write it to F&O', async () => {
  await bed.startWorker();
  const order = await submittedPurchaseOrder(bed.stack, 5);
  await awaitingApproval(bed.env.client, bed.stack, order.number);
  await bed.expectClean();
  await updateInDataverse(bed.stack, `msdyn_purchaseorderproducts(${order.lineIds[0]})`, {
    msdyn_quantity: 7,
  });

  await bed.expectDrifts([
    expect.objectContaining({
      class: 'lines differ',
      key: order.number,
      fieldService: { 'line 1 OrderedPurchaseQuantity': 7 },
      finance: { 'line 1 OrderedPurchaseQuantity': 5 },
      fix: notify(order.number),
    }),
  ]);

  await bed.expectRepaired([notified(order.number)], async () => {
    await eventually(async () =>
      expect(await bed.stack.finance(lineOne(order.number))).toMatchObject({ OrderedPurchaseQuantity: 7 }),
    );
    await eventually(async () =>
      expect(
        await bed.stack.dataverse(
          `msdyn_purchaseorderproducts(${order.lineIds[0]})?$select=msdyn_lineamount`,
        ),
      ).toMatchObject({ msdyn_lineamount: 119.7 }),
    );
    await inStage(bed.env.client, order.number, 'AwaitingFinanceApproval');
  });
});

test('converged: received in full and cancelled, their workflows completed, both are clean', async () => {
  await bed.startWorker();
  const received = await submittedPurchaseOrder(bed.stack);
  await awaitingReceipt(bed.env.client, bed.stack, received.number);
  await receivedInPart(bed.env.client, bed.stack, received.number, 4);
  await inFinance(bed.env.client, bed.stack, received.number, 'receive', { tell: true });
  expect(await handleOf(received.number).result()).toMatchObject({ stage: 'Received' });
  const cancelled = await submittedPurchaseOrder(bed.stack);
  await awaitingApproval(bed.env.client, bed.stack, cancelled.number);
  await inFinance(bed.env.client, bed.stack, cancelled.number, 'cancel', { tell: true });
  expect(await handleOf(cancelled.number).result()).toMatchObject({ stage: 'Canceled' });
  for (const { number } of [received, cancelled]) await visibleAs(number, `ExecutionStatus = 'Completed'`);

  await bed.expectClean();
  expect((await bed.run()).checked).toBe(2);
});

test('lines differ: a line procurement adds in F&O; the workflow is told, and once it has read it a person decides', async () => {
  await bed.startWorker();
  const { number } = await submittedPurchaseOrder(bed.stack);
  const state = await awaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await afterTheWorkflowsRead(state);
  await bed.stack.createInFinance('CDSPurchaseOrderLines', {
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
  const report = await bed.expectDrifts([added]);
  expect(report.drifts[0]!.message).toBe(
    `Purchase order ${number} differs between Field Service and F&O: line 2 only in F&O.`,
  );
  expect(report.drifts[0]!.fix).toEqual(notify(number));
  expect((await bed.run({ fix: true })).repairs).toEqual([notified(number)]);

  // It has read it and cannot add a line to Field Service's order: a person decides.
  await eventually(async () => {
    const again = await bed.run();
    expect(again.drifts).toEqual([added]);
    expect(again.drifts[0]!.fix).toEqual({
      person: expect.stringContaining('a line added in F&O must be added in Field Service or deleted in F&O'),
      command: `fsfo purchase-order notify ${number}`,
    });
  });
  await bed.expectOnlyAPerson();
});

test('not recorded: F&O receives part of an order and no watcher reports it; --fix has the workflow record it', async () => {
  await bed.startWorker();
  const { number } = await submittedPurchaseOrder(bed.stack);
  await awaitingReceipt(bed.env.client, bed.stack, number);
  await bed.expectClean();
  const receipt = await inFinance(bed.env.client, bed.stack, number, 'receive', {
    body: { lines: [{ lineNumber: 1, quantity: 4 }] },
  });

  await bed.expectDrifts([
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

  await bed.expectRepaired([notified(number)], async () => {
    await waitForState(handleOf(number), 'receipt recorded', (state) =>
      state.recordedReceipts.includes(Number(receipt.RecordId)),
    );
    await inStage(bed.env.client, number, 'AwaitingReceipt');
  });
});

test('duplicated: a receipt recorded a second time in Field Service needs a person', async () => {
  await bed.startWorker();
  const order = await submittedPurchaseOrder(bed.stack);
  await awaitingReceipt(bed.env.client, bed.stack, order.number);
  const { receiptNumber, recordId } = await receivedInPart(bed.env.client, bed.stack, order.number, 4);
  await bed.expectClean();
  // An import records the same F&O receipt again, under a record id of its own.
  await bed.stack.createInDataverse('msdyn_purchaseorderreceipts', {
    msdyn_name: receiptNumber,
    msdyn_recordid: 987654321,
    'msdyn_purchaseorder@odata.bind': `/msdyn_purchaseorders(${order.id})`,
  });

  await bed.expectDrifts([
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
  await bed.expectOnlyAPerson();
});

test('orphan: a Field Service receipt that records no F&O receipt of its order needs a person', async () => {
  await bed.startWorker();
  const order = await submittedPurchaseOrder(bed.stack);
  await awaitingReceipt(bed.env.client, bed.stack, order.number);
  await bed.expectClean();
  await bed.stack.createInDataverse('msdyn_purchaseorderreceipts', {
    msdyn_name: 'PR-IMPORTED',
    msdyn_recordid: 987654321,
    'msdyn_purchaseorder@odata.bind': `/msdyn_purchaseorders(${order.id})`,
  });

  await bed.expectDrifts([
    expect.objectContaining({
      class: 'orphan',
      document: 'Field Service receipt',
      key: 'PR-IMPORTED',
      fieldService: { msdyn_name: 'PR-IMPORTED', msdyn_recordid: 987654321 },
      finance: null,
    }),
  ]);
  await bed.expectOnlyAPerson();
});

test('totals differ: a received quantity changed in Field Service needs a person', async () => {
  await bed.startWorker();
  const order = await submittedPurchaseOrder(bed.stack);
  await awaitingReceipt(bed.env.client, bed.stack, order.number);
  await receivedInPart(bed.env.client, bed.stack, order.number, 4);
  await bed.expectClean();
  await updateInDataverse(bed.stack, `msdyn_purchaseorderproducts(${order.lineIds[0]})`, {
    msdyn_qtyreceived: 5,
  });

  await bed.expectDrifts([
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
  await bed.expectOnlyAPerson();
});

test('missing: procurement deletes the Draft F&O order the workflow wrote; a person decides', async () => {
  await bed.startWorker();
  const { number } = await submittedPurchaseOrder(bed.stack);
  await awaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await asFinanceUser(
    bed.stack,
    'DELETE',
    `PurchaseOrderHeadersV2(dataAreaId='usmf',PurchaseOrderNumber='${number}')`,
  );

  await bed.expectDrifts([
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
  await bed.expectOnlyAPerson();
});

test('needs attention: a parked workflow is listed with its reason and the retry command', async () => {
  await bed.startWorker();
  await bed.expectClean();
  const { number } = await createPurchaseOrder(bed.stack, {
    lines: [{ product: 'P-1000', quantity: 1, unit: null }],
  });
  // Before its workflow starts, the order itself says what F&O could not take.
  expect((await bed.run()).drifts).toEqual([
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
  await startPurchaseOrder(bed.env.client, bed.stack.config, number);
  await inStage(bed.env.client, number, 'NeedsAttention');

  const report = await bed.expectDrifts([
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
  await bed.expectOnlyAPerson();
});

test('orphan: an F&O order of this integration whose Field Service order was deleted, its workflow waiting', async () => {
  await bed.startWorker();
  const { number } = await submittedPurchaseOrder(bed.stack);
  await awaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await bed.stack.deleteInDataverse(`msdyn_purchaseorders(msdyn_name='${number}')`);

  await bed.expectDrifts([
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
  await bed.expectOnlyAPerson();
});

test('in flight is not drift: a workflow that has not written F&O yet, an order submitted a moment ago', async () => {
  // No worker: the workflow is started but has not read its order yet (stage SyncingPurchaseOrder).
  const started = await submittedPurchaseOrder(bed.stack);
  await startPurchaseOrder(bed.env.client, bed.stack.config, started.number);
  await visibleAs(started.number, `IntegrationStage = 'SyncingPurchaseOrder'`);
  const submitted = await submittedPurchaseOrder(bed.stack); // the purchase order sync reports it within its period

  const now = await bed.run({ now: new Date() });
  expect(now.drifts).toEqual([]);
  expect(now.inFlight).toBe(2);
  expect(now.checked).toBe(3); // two purchase orders, one running workflow

  const later = await bed.run();
  expect(later.inFlight).toBe(1);
  expect(later.drifts).toEqual([expect.objectContaining({ class: 'orphan', key: submitted.number })]);
});

test('--since: only purchase orders changed in Field Service since the date are compared', async () => {
  const { number } = await submittedPurchaseOrder(bed.stack);
  const tomorrow = new Date(Date.now() + 86_400_000);
  expect(await bed.run({ since: tomorrow })).toMatchObject({ checked: 0, drifts: [] });
  const anHourAgo = new Date(Date.now() - 3_600_000);
  expect((await bed.run({ since: anHourAgo })).drifts).toEqual([
    expect.objectContaining({ class: 'orphan', key: number }),
  ]);
});

test('a page costs the same requests for one purchase order or five: key filters, never a request per order', async () => {
  await submittedPurchaseOrder(bed.stack);
  await resetStats(bed.stack);
  expect((await bed.run()).checked).toBe(1);
  const forOne = await bed.requests();

  for (let more = 0; more < 4; more++) await submittedPurchaseOrder(bed.stack);
  await resetStats(bed.stack);
  expect((await bed.run()).checked).toBe(5);
  expect(await bed.requests()).toBe(forOne);
});
