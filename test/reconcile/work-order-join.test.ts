import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import {
  invoiceRecordingWorkflowId,
  resyncWorkOrder,
  startInvoiceRecording,
} from '../../client/work-order-repairs';
import { startWorkOrder, workOrderWorkflowId } from '../../client/work-order-starter';
import { workOrderChangedSignal } from '../../workflows/work-order/messages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import type { Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { waitForStage } from '../support/work-order-stage';
import {
  awaitingApproval,
  awaitingInvoice,
  eventually,
  invoiced,
  postInvoice,
  reconcile,
  resetStats,
  startReconcileStack,
  usedWorkOrder,
  visibleIn,
  visiblyCompleted,
  writes,
} from './support';

// `fsfo reconcile` (the function the CLI runs) against worker + Temporal + the sandboxes. Each test starts
// from a state reconcile reports clean, causes one drift as a Field Service or F&O user would, and checks
// that reconcile reports exactly that drift with its fix; `--fix` repairs what a workflow can repair.
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker | undefined;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
});
beforeEach(async () => {
  stack = await startReconcileStack('reconcile');
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
  expect(fixed.drifts.every((drift) => drift.fix.person && !drift.fix.repair)).toBe(true);
  expect(await writes(stack)).toEqual([]);
}

const financeLine = (number: string) =>
  stack.finance<{ OrderedSalesQuantity: number }>(
    `CDSSalesOrderLines(dataAreaId='usmf',SalesOrderNumber='${number}',LineCreationSequenceNumber=1)?cross-company=true`,
  );

async function patchFinance(path: string, body: Record<string, unknown>): Promise<void> {
  const token = await fetch(
    `${stack.sandboxes.urls.token}/${stack.sandboxes.app.tenantId}/oauth2/v2.0/token`,
    {
      method: 'POST',
      body: new URLSearchParams({
        client_id: stack.sandboxes.app.clientId,
        client_secret: stack.sandboxes.app.clientSecret,
        grant_type: 'client_credentials',
        scope: `${stack.sandboxes.urls.finance}/.default`,
      }),
    },
  );
  const { access_token } = (await token.json()) as { access_token: string };
  const response = await fetch(`${stack.sandboxes.urls.finance}/data/${path}`, {
    method: body === DELETE ? 'DELETE' : 'PATCH',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: body === DELETE ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}
const DELETE: Record<string, unknown> = {};
const orderPath = (number: string) =>
  `CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='${number}')?cross-company=true`;

test('orphan: a work order that syncs but has no workflow; --fix starts it, and then all is clean', async () => {
  await startWorker();
  await expectClean();
  const number = await usedWorkOrder(stack); // the watcher never reported it

  const report = await run();
  expect(report.drifts).toEqual([
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

  const fixed = await run({ fix: true });
  expect(fixed.repairs).toEqual([
    { command: `fsfo work-order start ${number}`, outcome: 'workflow started or told of a change' },
  ]);
  await waitForStage(env.client.workflow.getHandle(workOrderWorkflowId(number)), 'AwaitingApproval');
  await visibleIn(env.client, number, 'AwaitingApproval');
  await expectClean();
});

test('lines differ: an F&O user changes a line of an order awaiting approval; --fix re-syncs it', async () => {
  await startWorker();
  const number = await usedWorkOrder(stack);
  await awaitingApproval(env.client, stack, number);
  await expectClean();
  const path = `CDSSalesOrderLines(dataAreaId='usmf',SalesOrderNumber='${number}',LineCreationSequenceNumber=1)?cross-company=true`;
  await patchFinance(path, { OrderedSalesQuantity: 5 });

  const report = await run();
  expect(report.drifts).toEqual([
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

  expect((await run({ fix: true })).repairs).toEqual([
    { command: `fsfo work-order resync ${number}`, outcome: 'its workflow writes the sales order again' },
  ]);
  await eventually(async () => expect((await financeLine(number)).OrderedSalesQuantity).toBe(3));
  await waitForStage(env.client.workflow.getHandle(workOrderWorkflowId(number)), 'AwaitingApproval');
  await visibleIn(env.client, number, 'AwaitingApproval');
  await expectClean();
});

test('missing: the F&O order of a work order awaiting approval is deleted; --fix writes it again', async () => {
  await startWorker();
  const number = await usedWorkOrder(stack);
  await awaitingApproval(env.client, stack, number);
  await expectClean();
  await patchFinance(orderPath(number), DELETE);

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'missing',
      document: 'F&O sales order',
      key: number,
      finance: null,
      fix: expect.objectContaining({ command: `fsfo work-order resync ${number}` }),
    }),
  ]);

  await run({ fix: true });
  await eventually(async () => expect((await financeLine(number)).OrderedSalesQuantity).toBe(3));
  await waitForStage(env.client.workflow.getHandle(workOrderWorkflowId(number)), 'AwaitingApproval');
  await visibleIn(env.client, number, 'AwaitingApproval');
  await expectClean();
});

test('header differs: a work order cancelled in Field Service whose F&O order is not marked; --fix tells its workflow', async () => {
  await startWorker();
  const number = await usedWorkOrder(stack);
  const handle = await awaitingApproval(env.client, stack, number);
  await expectClean();
  await stack.updateInDataverse(`msdyn_workorders(msdyn_name='${number}')`, {
    msdyn_systemstatus: SystemStatus.Canceled,
  }); // the watcher never reported it

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'header differs',
      document: 'F&O sales order',
      key: number,
      finance: { ExternalWorkOrderStatus: 'OpenInProgress' },
      fix: expect.objectContaining({ command: `fsfo work-order notify ${number}` }),
    }),
  ]);

  await run({ fix: true });
  expect(await handle.result()).toMatchObject({ stage: 'Canceled' });
  expect(await stack.finance(orderPath(number))).toMatchObject({ ExternalWorkOrderStatus: 'ClosedCanceled' });
  await expectClean();
});

test('not recorded: F&O posts the invoice a workflow waits for; --fix signals invoicePosted', async () => {
  await startWorker();
  const number = await usedWorkOrder(stack);
  const handle = await awaitingInvoice(env.client, stack, number);
  await expectClean();
  const invoiceNumber = await postInvoice(stack, number); // no business event, no watcher: nobody told it
  // Repairs that would race the waiting workflow are refused.
  await expect(resyncWorkOrder(env.client, number)).rejects.toThrow('Workflow Update failed');
  expect(
    await startInvoiceRecording(env.client, stack.config, {
      workOrderNumber: number,
      salesOrderNumber: number,
      legalEntity: 'usmf',
    }),
  ).toBe('workflow-running');

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'not recorded',
      document: 'F&O sales invoice',
      key: invoiceNumber,
      finance: { InvoiceNumber: invoiceNumber, TotalInvoiceAmount: 135, CurrencyCode: 'USD' },
      workflow: expect.objectContaining({ stage: 'AwaitingInvoice' }),
      fix: expect.objectContaining({
        command: `fsfo work-order invoice-posted ${number} --invoice ${invoiceNumber} --legal-entity usmf`,
      }),
    }),
  ]);

  await run({ fix: true });
  expect(await handle.result()).toMatchObject({ stage: 'Invoiced', invoice: { invoiceNumber } });
  await expectClean();
});

test('not recorded: the Field Service invoice of an invoiced work order is deleted; --fix records it again', async () => {
  await startWorker();
  const number = await usedWorkOrder(stack);
  const invoiceNumber = await invoiced(env.client, stack, number);
  await expectClean(); // the completed workflow is not needed any more
  const { value } = await stack.dataverse<{ value: { invoiceid: string }[] }>(
    `invoices?$filter=invoicenumber eq '${invoiceNumber}'&$select=invoiceid`,
  );
  await stack.deleteInDataverse(`invoices(${value[0]!.invoiceid})`);

  const report = await run();
  const command = `fsfo work-order record-invoice ${number} --sales-order ${number} --legal-entity usmf`;
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'not recorded',
      key: invoiceNumber,
      workflow: expect.objectContaining({ status: 'Completed', stage: 'Invoiced' }),
      fix: expect.objectContaining({ command }),
    }),
  ]);

  expect((await run({ fix: true })).repairs).toEqual([
    { command, outcome: 'the invoice recording workflow started' },
  ]);
  expect(await env.client.workflow.getHandle(invoiceRecordingWorkflowId(number)).result()).toMatchObject({
    invoiceNumber,
  });
  const recorded = await stack.dataverse<{ value: { totalamount: number }[] }>(
    `invoices?$filter=invoicenumber eq '${invoiceNumber}'&$select=totalamount`,
  );
  expect(recorded.value).toEqual([expect.objectContaining({ totalamount: 135 })]);
  await expectClean();
});

test('totals differ: a Field Service invoice edited after recording; a person corrects it', async () => {
  await startWorker();
  const number = await usedWorkOrder(stack);
  const invoiceNumber = await invoiced(env.client, stack, number);
  await expectClean();
  const { value } = await stack.dataverse<{ value: { invoiceid: string }[] }>(
    `invoices?$filter=invoicenumber eq '${invoiceNumber}'&$select=invoiceid`,
  );
  await stack.updateInDataverse(`invoices(${value[0]!.invoiceid})`, { totalamount: 120 });

  const report = await run();
  expect(report.drifts).toEqual([
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
  await expectOnlyAPerson();
});

test('duplicated: a second Field Service invoice with a recorded invoice number; a person deletes one', async () => {
  await startWorker();
  const number = await usedWorkOrder(stack);
  const invoiceNumber = await invoiced(env.client, stack, number);
  await expectClean();
  await stack.createInDataverse('invoices', {
    invoicenumber: invoiceNumber,
    name: invoiceNumber,
    totalamount: 135,
    'customerid_account@odata.bind': "/accounts(accountnumber='US-003')",
  });

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({ class: 'duplicated', document: 'Field Service invoice', key: invoiceNumber }),
  ]);
  await expectOnlyAPerson();
});

test('foreign order: an F&O order created by hand with a work order number is never the integration’s', async () => {
  await startWorker();
  await expectClean();
  const number = await usedWorkOrder(stack);
  await stack.createInFinance('CDSSalesOrderHeaders', {
    SalesOrderNumber: number,
    OrderingCustomerAccountNumber: 'US-001',
    CurrencyCode: 'USD',
  });

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'foreign order',
      document: 'F&O sales order',
      key: number,
      finance: { SalesOrderNumber: number, SalesOrderOriginType: 'NotSpecified' },
    }),
  ]);
  await expectOnlyAPerson();
});

test('orphan: an F&O order of this integration whose work order was deleted in Field Service', async () => {
  await startWorker();
  const number = await usedWorkOrder(stack);
  const handle = await awaitingApproval(env.client, stack, number);
  await stack.updateInDataverse(`msdyn_workorders(msdyn_name='${number}')`, {
    msdyn_systemstatus: SystemStatus.Canceled,
  });
  await handle.signal(workOrderChangedSignal);
  await handle.result(); // ended Canceled; the order is left to F&O, marked ClosedCanceled
  await visiblyCompleted(env.client, number);
  await expectClean();
  await stack.deleteInDataverse(`msdyn_workorders(msdyn_name='${number}')`);

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'orphan',
      document: 'F&O sales order',
      key: number,
      fieldService: null,
      finance: { SalesOrderNumber: number, ExternalWorkOrderStatus: 'ClosedCanceled' },
    }),
  ]);
  await expectOnlyAPerson();
});

test('orphan: a workflow whose work order was deleted waits for nothing', async () => {
  await startWorker();
  const number = await usedWorkOrder(stack);
  await awaitingApproval(env.client, stack, number);
  await expectClean();
  await stack.deleteInDataverse(`msdyn_workorders(msdyn_name='${number}')`);

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({ class: 'orphan', document: 'F&O sales order', key: number }),
    expect.objectContaining({
      class: 'orphan',
      document: 'workflow',
      key: workOrderWorkflowId(number),
      workflow: { workflowId: workOrderWorkflowId(number), status: 'Running', stage: 'AwaitingApproval' },
    }),
  ]);
  await expectOnlyAPerson();
});

test('needs attention: a parked workflow is listed with its reason and the retry command', async () => {
  await startWorker();
  await expectClean();
  const number = await createWorkOrder(stack, {
    status: SystemStatus.InProgress,
    customer: null,
    products: [{ product: 'P-1000', used: true, allocated: true, estimate: 1, quantity: 1, price: 45 }],
  });
  await startWorkOrder(env.client, stack.config, number);
  await waitForStage(env.client.workflow.getHandle(workOrderWorkflowId(number)), 'NeedsAttention');
  await visibleIn(env.client, number, 'NeedsAttention');

  const report = await run();
  expect(report.drifts).toEqual([
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
  await expectOnlyAPerson();
});

test('in flight is not drift: a workflow that has not synced yet, a work order changed a moment ago', async () => {
  // No worker: the workflow is started but has not read its work order yet (stage SyncingMasterData).
  const started = await usedWorkOrder(stack);
  await startWorkOrder(env.client, stack.config, started);
  await visibleIn(env.client, started, 'SyncingMasterData');
  const changed = await usedWorkOrder(stack); // no workflow yet: the watcher reports it within a minute

  const now = await run({ now: new Date() });
  expect(now.drifts).toEqual([]);
  expect(now.inFlight).toBe(2);
  expect(now.checked).toBe(3); // two work orders, one running workflow

  const later = await run();
  expect(later.inFlight).toBe(1);
  expect(later.drifts).toEqual([expect.objectContaining({ class: 'orphan', key: changed })]);
});

test('--since: only work orders changed in Field Service since the date are compared', async () => {
  const number = await usedWorkOrder(stack);
  const tomorrow = new Date(Date.now() + 86_400_000);
  expect(await run({ since: tomorrow })).toMatchObject({
    checked: 0,
    drifts: [],
    since: tomorrow.toISOString(),
  });
  const anHourAgo = new Date(Date.now() - 3_600_000);
  expect((await run({ since: anHourAgo })).drifts).toEqual([
    expect.objectContaining({ class: 'orphan', key: number }),
  ]);
});

test('a page costs the same requests for one work order or five: key filters, never a request per work order', async () => {
  const requests = async () => {
    let total = 0;
    for (const service of ['dataverse', 'finance'] as const) {
      total += ((await (await stack.control(service, 'stats', undefined, 'GET')).json()) as { total: number })
        .total;
    }
    return total;
  };
  await usedWorkOrder(stack);
  await resetStats(stack);
  expect((await run()).checked).toBe(1);
  const forOne = await requests();

  for (let more = 0; more < 4; more++) await usedWorkOrder(stack);
  await resetStats(stack);
  expect((await run()).checked).toBe(5);
  expect(await requests()).toBe(forOne);
});
