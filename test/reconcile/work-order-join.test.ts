import {
  invoiceRecordingWorkflowId,
  resyncWorkOrder,
  startInvoiceRecording,
} from '../../client/work-order-repairs';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { workOrderChangedSignal } from '../../workflows/work-order/messages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { waitForStage } from '../support/work-order-stage';
import { asFinanceUser, eventually, joinTestbed, resetStats } from './support';
import {
  awaitingApproval,
  awaitingInvoice,
  invoiced,
  postInvoice,
  usedWorkOrder,
  visibleIn,
  visiblyCompleted,
} from './work-order-support';

// The work order join of `fsfo reconcile` (the function the CLI runs) against worker + Temporal + the
// sandboxes, each drift class seeded as a Field Service or F&O user would cause it (see `JoinTestbed`).
const bed = joinTestbed('reconcile');

const financeLine = (number: string) =>
  bed.stack.finance<{ OrderedSalesQuantity: number }>(
    `CDSSalesOrderLines(dataAreaId='usmf',SalesOrderNumber='${number}',LineCreationSequenceNumber=1)?cross-company=true`,
  );
/** The workflow has written the order again as the work order says, and awaits approval once more. */
async function writtenAgain(number: string): Promise<void> {
  await eventually(async () => expect((await financeLine(number)).OrderedSalesQuantity).toBe(3));
  await waitForStage(bed.env.client.workflow.getHandle(workOrderWorkflowId(number)), 'AwaitingApproval');
  await visibleIn(bed.env.client, number, 'AwaitingApproval');
}
const orderPath = (number: string) =>
  `CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='${number}')?cross-company=true`;

test('orphan: a work order that syncs but has no workflow; --fix starts it, and then all is clean', async () => {
  await bed.startWorker();
  await bed.expectClean();
  const number = await usedWorkOrder(bed.stack); // the watcher never reported it

  const report = await bed.expectDrifts([
    expect.objectContaining({
      class: 'orphan',
      document: 'work order',
      key: number,
      finance: null,
      workflow: null,
      fix: {
        command: `fsfo work-order start ${number}`,
        repair: { action: 'startWorkOrder', workOrderNumber: number },
      },
    }),
  ]);
  expect(report.counts.orphan).toBe(1);
  expect(report.checked).toBe(1);

  await bed.expectRepaired(
    [{ command: `fsfo work-order start ${number}`, outcome: 'workflow started or told of a change' }],
    async () => {
      await waitForStage(bed.env.client.workflow.getHandle(workOrderWorkflowId(number)), 'AwaitingApproval');
      await visibleIn(bed.env.client, number, 'AwaitingApproval');
    },
  );
});

test('lines differ: an F&O user changes a line of an order awaiting approval; --fix re-syncs it', async () => {
  await bed.startWorker();
  const number = await usedWorkOrder(bed.stack);
  await awaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  const path = `CDSSalesOrderLines(dataAreaId='usmf',SalesOrderNumber='${number}',LineCreationSequenceNumber=1)?cross-company=true`;
  await asFinanceUser(bed.stack, 'PATCH', path, { OrderedSalesQuantity: 5 });

  const report = await bed.expectDrifts([
    expect.objectContaining({
      class: 'lines differ',
      document: 'F&O sales order',
      key: number,
      fieldService: { 'line 1 OrderedSalesQuantity': 3 },
      finance: { 'line 1 OrderedSalesQuantity': 5 },
      workflow: { workflowId: workOrderWorkflowId(number), status: 'Running', stage: 'AwaitingApproval' },
      fix: expect.objectContaining({ command: `fsfo work-order resync ${number}` }),
    }),
  ]);
  expect(report.drifts[0]!.message).toBe(
    `F&O sales order ${number} differs from work order ${number}: line 1 OrderedSalesQuantity: Field Service 3, F&O 5.`,
  );

  await bed.expectRepaired(
    [{ command: `fsfo work-order resync ${number}`, outcome: 'its workflow writes the sales order again' }],
    () => writtenAgain(number),
  );
});

test('missing: the F&O order of a work order awaiting approval is deleted; --fix writes it again', async () => {
  await bed.startWorker();
  const number = await usedWorkOrder(bed.stack);
  await awaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await asFinanceUser(bed.stack, 'DELETE', orderPath(number));

  await bed.expectDrifts([
    expect.objectContaining({
      class: 'missing',
      document: 'F&O sales order',
      key: number,
      finance: null,
      fix: expect.objectContaining({ command: `fsfo work-order resync ${number}` }),
    }),
  ]);

  await bed.expectRepaired(
    [{ command: `fsfo work-order resync ${number}`, outcome: 'its workflow writes the sales order again' }],
    () => writtenAgain(number),
  );
});

test('header differs: a work order cancelled in Field Service whose F&O order is not marked; --fix tells its workflow', async () => {
  await bed.startWorker();
  const number = await usedWorkOrder(bed.stack);
  const handle = await awaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await bed.stack.updateInDataverse(`msdyn_workorders(msdyn_name='${number}')`, {
    msdyn_systemstatus: SystemStatus.Canceled,
  }); // the watcher never reported it

  await bed.expectDrifts([
    expect.objectContaining({
      class: 'header differs',
      document: 'F&O sales order',
      key: number,
      finance: { ExternalWorkOrderStatus: 'OpenInProgress' },
      fix: expect.objectContaining({ command: `fsfo work-order notify ${number}` }),
    }),
  ]);

  await bed.expectRepaired(
    [{ command: `fsfo work-order notify ${number}`, outcome: 'its workflow reads the work order again' }],
    async () => {
      expect(await handle.result()).toMatchObject({ stage: 'Canceled' });
      expect(await bed.stack.finance(orderPath(number))).toMatchObject({
        ExternalWorkOrderStatus: 'ClosedCanceled',
      });
    },
  );
});

test('not recorded: F&O posts the invoice a workflow waits for; --fix signals invoicePosted', async () => {
  await bed.startWorker();
  const number = await usedWorkOrder(bed.stack);
  const handle = await awaitingInvoice(bed.env.client, bed.stack, number);
  await bed.expectClean();
  const invoiceNumber = await postInvoice(bed.stack, number); // no business event, no watcher: nobody told it
  // Repairs that would race the waiting workflow are refused.
  await expect(resyncWorkOrder(bed.env.client, number)).rejects.toThrow('Workflow Update failed');
  expect(
    await startInvoiceRecording(bed.env.client, bed.stack.config, {
      workOrderNumber: number,
      salesOrderNumber: number,
      legalEntity: 'usmf',
    }),
  ).toBe('workflow-running');

  const command = `fsfo work-order invoice-posted ${number} --invoice ${invoiceNumber} --legal-entity usmf`;
  await bed.expectDrifts([
    expect.objectContaining({
      class: 'not recorded',
      document: 'F&O sales invoice',
      key: invoiceNumber,
      finance: { InvoiceNumber: invoiceNumber, TotalInvoiceAmount: 135, CurrencyCode: 'USD' },
      workflow: expect.objectContaining({ stage: 'AwaitingInvoice' }),
      fix: expect.objectContaining({ command }),
    }),
  ]);

  await bed.expectRepaired(
    [{ command, outcome: `its workflow records invoice ${invoiceNumber}` }],
    async () =>
      expect(await handle.result()).toMatchObject({ stage: 'Invoiced', invoice: { invoiceNumber } }),
  );
});

test('not recorded: the Field Service invoice of an invoiced work order is deleted; --fix records it again', async () => {
  await bed.startWorker();
  const number = await usedWorkOrder(bed.stack);
  const invoiceNumber = await invoiced(bed.env.client, bed.stack, number);
  await bed.expectClean(); // the completed workflow is not needed any more
  const { value } = await bed.stack.dataverse<{ value: { invoiceid: string }[] }>(
    `invoices?$filter=invoicenumber eq '${invoiceNumber}'&$select=invoiceid`,
  );
  await bed.stack.deleteInDataverse(`invoices(${value[0]!.invoiceid})`);

  const command = `fsfo work-order record-invoice ${number} --sales-order ${number} --legal-entity usmf`;
  await bed.expectDrifts([
    expect.objectContaining({
      class: 'not recorded',
      key: invoiceNumber,
      workflow: expect.objectContaining({ status: 'Completed', stage: 'Invoiced' }),
      fix: expect.objectContaining({ command }),
    }),
  ]);

  await bed.expectRepaired([{ command, outcome: 'the invoice recording workflow started' }], async () => {
    expect(
      await bed.env.client.workflow.getHandle(invoiceRecordingWorkflowId(number)).result(),
    ).toMatchObject({ invoiceNumber });
    const recorded = await bed.stack.dataverse<{ value: { totalamount: number }[] }>(
      `invoices?$filter=invoicenumber eq '${invoiceNumber}'&$select=totalamount`,
    );
    expect(recorded.value).toEqual([expect.objectContaining({ totalamount: 135 })]);
  });
});

test('totals differ: a Field Service invoice edited after recording; a person corrects it', async () => {
  await bed.startWorker();
  const number = await usedWorkOrder(bed.stack);
  const invoiceNumber = await invoiced(bed.env.client, bed.stack, number);
  await bed.expectClean();
  const { value } = await bed.stack.dataverse<{ value: { invoiceid: string }[] }>(
    `invoices?$filter=invoicenumber eq '${invoiceNumber}'&$select=invoiceid`,
  );
  await bed.stack.updateInDataverse(`invoices(${value[0]!.invoiceid})`, { totalamount: 120 });

  await bed.expectDrifts([
    expect.objectContaining({
      class: 'totals differ',
      document: 'Field Service invoice',
      key: invoiceNumber,
      fieldService: { invoiceNumber, totalamount: 120 },
      finance: expect.objectContaining({ TotalInvoiceAmount: 135 }),
      fix: {
        person: `Correct Field Service invoice ${invoiceNumber} to F&O's amount; F&O's posted invoice is the record.`,
      },
    }),
  ]);
  await bed.expectOnlyAPerson();
});

test('duplicated: a second Field Service invoice with a recorded invoice number; a person deletes one', async () => {
  await bed.startWorker();
  const number = await usedWorkOrder(bed.stack);
  const invoiceNumber = await invoiced(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await bed.stack.createInDataverse('invoices', {
    invoicenumber: invoiceNumber,
    name: invoiceNumber,
    totalamount: 135,
    'customerid_account@odata.bind': "/accounts(accountnumber='US-003')",
  });

  await bed.expectDrifts([
    expect.objectContaining({ class: 'duplicated', document: 'Field Service invoice', key: invoiceNumber }),
  ]);
  await bed.expectOnlyAPerson();
});

test('foreign order: an F&O order created by hand with a work order number is never the integration’s', async () => {
  await bed.startWorker();
  await bed.expectClean();
  const number = await usedWorkOrder(bed.stack);
  await bed.stack.createInFinance('CDSSalesOrderHeaders', {
    SalesOrderNumber: number,
    OrderingCustomerAccountNumber: 'US-001',
    CurrencyCode: 'USD',
  });

  await bed.expectDrifts([
    expect.objectContaining({
      class: 'foreign order',
      document: 'F&O sales order',
      key: number,
      finance: { SalesOrderNumber: number, SalesOrderOriginType: 'NotSpecified' },
    }),
  ]);
  await bed.expectOnlyAPerson();
});

test('orphan: an F&O order of this integration whose work order was deleted in Field Service', async () => {
  await bed.startWorker();
  const number = await usedWorkOrder(bed.stack);
  const handle = await awaitingApproval(bed.env.client, bed.stack, number);
  await bed.stack.updateInDataverse(`msdyn_workorders(msdyn_name='${number}')`, {
    msdyn_systemstatus: SystemStatus.Canceled,
  });
  await handle.signal(workOrderChangedSignal);
  await handle.result(); // ended Canceled; the order is left to F&O, marked ClosedCanceled
  await visiblyCompleted(bed.env.client, number);
  await bed.expectClean();
  await bed.stack.deleteInDataverse(`msdyn_workorders(msdyn_name='${number}')`);

  await bed.expectDrifts([
    expect.objectContaining({
      class: 'orphan',
      document: 'F&O sales order',
      key: number,
      fieldService: null,
      finance: { SalesOrderNumber: number, ExternalWorkOrderStatus: 'ClosedCanceled' },
    }),
  ]);
  await bed.expectOnlyAPerson();
});

test('orphan: a workflow whose work order was deleted waits for nothing', async () => {
  await bed.startWorker();
  const number = await usedWorkOrder(bed.stack);
  await awaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await bed.stack.deleteInDataverse(`msdyn_workorders(msdyn_name='${number}')`);

  await bed.expectDrifts([
    expect.objectContaining({ class: 'orphan', document: 'F&O sales order', key: number }),
    expect.objectContaining({
      class: 'orphan',
      document: 'workflow',
      key: workOrderWorkflowId(number),
      workflow: { workflowId: workOrderWorkflowId(number), status: 'Running', stage: 'AwaitingApproval' },
    }),
  ]);
  await bed.expectOnlyAPerson();
});

test('needs attention: a parked workflow is listed with its reason and the retry command', async () => {
  await bed.startWorker();
  await bed.expectClean();
  const number = await createWorkOrder(bed.stack, {
    status: SystemStatus.InProgress,
    customer: null,
    products: [{ product: 'P-1000', used: true, allocated: true, estimate: 1, quantity: 1, price: 45 }],
  });
  await startWorkOrder(bed.env.client, bed.stack.config, number);
  await waitForStage(bed.env.client.workflow.getHandle(workOrderWorkflowId(number)), 'NeedsAttention');
  await visibleIn(bed.env.client, number, 'NeedsAttention');

  const report = await bed.expectDrifts([
    expect.objectContaining({
      class: 'needs attention',
      document: 'workflow',
      key: workOrderWorkflowId(number),
      fix: {
        person: 'Fix what the reason says, then run the command.',
        command: `fsfo work-order retry ${number}`,
      },
    }),
  ]);
  expect(report.drifts[0]!.message).toContain('it has no billing account with an account number');
  await bed.expectOnlyAPerson();
});

test('in flight is not drift: a workflow that has not synced yet, a work order changed a moment ago', async () => {
  // No worker: the workflow is started but has not read its work order yet (stage SyncingMasterData).
  const started = await usedWorkOrder(bed.stack);
  await startWorkOrder(bed.env.client, bed.stack.config, started);
  await visibleIn(bed.env.client, started, 'SyncingMasterData');
  const changed = await usedWorkOrder(bed.stack); // no workflow yet: the watcher reports it within a minute

  const now = await bed.run({ now: new Date() });
  expect(now.drifts).toEqual([]);
  expect(now.inFlight).toBe(2);
  expect(now.checked).toBe(3); // two work orders, one running workflow

  const later = await bed.run();
  expect(later.inFlight).toBe(1);
  expect(later.drifts).toEqual([expect.objectContaining({ class: 'orphan', key: changed })]);
});

test('--since: only work orders changed in Field Service since the date are compared', async () => {
  const number = await usedWorkOrder(bed.stack);
  const tomorrow = new Date(Date.now() + 86_400_000);
  expect(await bed.run({ since: tomorrow })).toMatchObject({
    checked: 0,
    drifts: [],
    since: tomorrow.toISOString(),
  });
  const anHourAgo = new Date(Date.now() - 3_600_000);
  expect((await bed.run({ since: anHourAgo })).drifts).toEqual([
    expect.objectContaining({ class: 'orphan', key: number }),
  ]);
});

test('a page costs the same requests for one work order or five: key filters, never a request per work order', async () => {
  await usedWorkOrder(bed.stack);
  await resetStats(bed.stack);
  expect((await bed.run()).checked).toBe(1);
  const forOne = await bed.requests();

  for (let more = 0; more < 4; more++) await usedWorkOrder(bed.stack);
  await resetStats(bed.stack);
  expect((await bed.run()).checked).toBe(5);
  expect(await bed.requests()).toBe(forOne);
});

test('streamed: a run that hands each drift over as it comes keeps none, and counts them all', async () => {
  for (let created = 0; created < 3; created++) await usedWorkOrder(bed.stack); // three orphans
  const streamed: string[] = [];
  const report = await bed.run({ listDrifts: false, onDrift: (drift) => streamed.push(drift.key) });
  expect(streamed).toHaveLength(3);
  expect(report).toMatchObject({ drifts: [], driftsLeftOut: 3, counts: { orphan: 3 } });

  const listed = await bed.run({ onDrift: () => undefined });
  expect(listed.drifts.map((drift) => drift.key)).toEqual(streamed);
});
