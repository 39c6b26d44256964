import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { agreementInvoiceWorkflowId, startAgreementInvoice } from '../../client/agreement-invoice-starter';
import type { Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { inProcessWorker, type TestWorker } from '../support/workers';
import {
  agreementInvoice,
  asFinanceUser,
  freeTextHeaderPath,
  freeTextLinePath,
  invoiceAwaitingApproval,
  invoiceAwaitingPosting,
  invoiceInStage,
  invoicePosted,
  invoiceVisible,
  postFreeTextInvoice,
} from './invoice-support';
import { reconcile, resetStats, startReconcileStack, writes } from './support';

// The agreement invoice join of `fsfo reconcile` against worker + Temporal + the sandboxes. Each test starts
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
  stack = await startReconcileStack('reconcile-agreement');
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

const recordedNumber = async (invoiceId: string) =>
  (
    await stack.dataverse<{ msdynce_freetextinvoicenumber: string | null }>(
      `invoices(${invoiceId})?$select=msdynce_freetextinvoicenumber`,
    )
  ).msdynce_freetextinvoicenumber;

test('orphan: an agreement invoice no workflow looks after; --fix starts it, and then all is clean', async () => {
  await startWorker();
  await expectClean();
  const { number } = await agreementInvoice(stack); // the agreement invoice sync never reported it

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'orphan',
      join: 'agreement invoices',
      document: 'agreement invoice',
      key: number,
      finance: null,
      workflow: null,
      fix: {
        command: `fsfo agreement-invoice start ${number}`,
        repair: { action: 'startAgreementInvoice', invoiceNumber: number },
      },
    }),
  ]);
  expect(report.checked).toBe(1);

  expect((await run({ fix: true })).repairs).toEqual([
    { command: `fsfo agreement-invoice start ${number}`, outcome: 'workflow started or told of a change' },
  ]);
  await invoiceInStage(env.client, number, 'AwaitingApproval');
  await expectClean();
});

test('lines differ: an F&O user changes a line of a free text invoice awaiting approval; a person sets it back', async () => {
  await startWorker();
  const { number } = await agreementInvoice(stack);
  await invoiceAwaitingApproval(env.client, stack, number);
  await expectClean();
  await asFinanceUser(stack, freeTextLinePath(number, 2), { Quantity: 3, TransactionCurrencyAmount: 240 });

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'lines differ',
      document: 'F&O free text invoice',
      key: number,
      fieldService: { 'line 2 Quantity': 2, 'line 2 TransactionCurrencyAmount': 160, total: 172 },
      finance: { 'line 2 Quantity': 3, 'line 2 TransactionCurrencyAmount': 240, total: 252 },
      workflow: {
        workflowId: agreementInvoiceWorkflowId(number),
        status: 'Running',
        stage: 'AwaitingApproval',
      },
    }),
  ]);
  expect(report.drifts[0]!.message).toBe(
    `F&O free text invoice ${number} differs from invoice ${number}: line 2 Quantity: Field Service 2, F&O 3; ` +
      'line 2 TransactionCurrencyAmount: Field Service 160, F&O 240; total: Field Service 172, F&O 252.',
  );
  await expectOnlyAPerson();
});

test('header differs: an F&O user bills another customer on a free text invoice awaiting approval', async () => {
  await startWorker();
  const { number } = await agreementInvoice(stack);
  await invoiceAwaitingApproval(env.client, stack, number);
  await expectClean();
  await asFinanceUser(stack, freeTextHeaderPath(number), { CustomerAccount: 'US-001' });

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'header differs',
      document: 'F&O free text invoice',
      key: number,
      fieldService: { CustomerAccount: 'US-003' },
      finance: { CustomerAccount: 'US-001' },
    }),
  ]);
  await expectOnlyAPerson();
});

test('missing: the free text invoice of an invoice awaiting approval is deleted in F&O; a person has it written again', async () => {
  await startWorker();
  const { number } = await agreementInvoice(stack);
  await invoiceAwaitingApproval(env.client, stack, number);
  await expectClean();
  await asFinanceUser(stack, freeTextHeaderPath(number));

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'missing',
      document: 'F&O free text invoice',
      key: number,
      finance: null,
      workflow: expect.objectContaining({ stage: 'AwaitingApproval' }),
      fix: {
        person:
          `The free text invoice was deleted in F&O before it was posted: change invoice ${number} in Field ` +
          'Service, and its workflow writes the free text invoice again.',
      },
    }),
  ]);
  await expectOnlyAPerson();
});

test('not recorded: F&O posts the free text invoice a workflow waits for; --fix signals freeTextInvoicePosted', async () => {
  await startWorker();
  const { number, invoiceId } = await agreementInvoice(stack);
  const handle = await invoiceAwaitingPosting(env.client, stack, number);
  await expectClean();
  const postedAs = await postFreeTextInvoice(stack, number); // no watcher: nobody told the workflow

  const report = await run();
  const command = `fsfo agreement-invoice posted ${number}`;
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'not recorded',
      document: 'F&O free text invoice',
      key: postedAs,
      fieldService: { invoiceNumber: number, freeTextInvoiceNumber: null },
      finance: { ExternalInvoiceId: number, IsPosted: 'Yes', InvoiceNumber: postedAs },
      workflow: expect.objectContaining({ stage: 'AwaitingPosting' }),
      fix: { command, repair: { action: 'signalFreeTextInvoicePosted', invoiceNumber: number } },
    }),
  ]);

  expect((await run({ fix: true })).repairs).toEqual([
    { command, outcome: 'its workflow asks F&O for the posting and records it' },
  ]);
  expect(await handle.result()).toMatchObject({ stage: 'Posted', freeTextInvoice: { postedAs } });
  expect(await recordedNumber(invoiceId)).toBe(postedAs);
  await invoiceVisible(env.client, number, `ExecutionStatus = 'Completed'`);
  await expectClean();
});

test('not recorded: the F&O number on a posted invoice is cleared in Field Service after its workflow ended', async () => {
  await startWorker();
  const { number, invoiceId } = await agreementInvoice(stack);
  const postedAs = await invoicePosted(env.client, stack, number);
  await expectClean();
  await stack.updateInDataverse(`invoices(${invoiceId})`, { msdynce_freetextinvoicenumber: null });

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'not recorded',
      key: postedAs,
      workflow: expect.objectContaining({ status: 'Completed', stage: 'Posted' }),
      fix: {
        person:
          `The workflow of invoice ${number} recorded the posting and ended: set its F&O free text invoice ` +
          `number back to ${postedAs} in Field Service.`,
      },
    }),
  ]);
  await expectOnlyAPerson();
});

test('duplicated: a second Field Service invoice with the number of an agreement invoice', async () => {
  await startWorker();
  const { number } = await agreementInvoice(stack);
  await invoiceAwaitingApproval(env.client, stack, number);
  await expectClean();
  await stack.createInDataverse('invoices', {
    invoicenumber: number,
    name: number,
    'customerid_account@odata.bind': "/accounts(accountnumber='US-003')",
    msdynce_invoicedate: '2026-02-28',
    msdynce_haslineswithagreementorigin: true,
  });

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({ class: 'duplicated', document: 'agreement invoice', key: number }),
  ]);
  expect(report.checked).toBe(4); // two invoices, the free text invoice, the running workflow
  await expectOnlyAPerson();
});

test('orphan: a posted free text invoice whose Field Service invoice was deleted', async () => {
  await startWorker();
  const { number, invoiceId } = await agreementInvoice(stack);
  const postedAs = await invoicePosted(env.client, stack, number);
  await expectClean();
  await stack.deleteInDataverse(`invoices(${invoiceId})`);

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'orphan',
      document: 'F&O free text invoice',
      key: number,
      fieldService: null,
      finance: { ExternalInvoiceId: number, IsPosted: 'Yes', InvoiceNumber: postedAs },
      fix: { person: `Credit ${postedAs} in F&O if the agreement work should not be billed.` },
    }),
  ]);
  await expectOnlyAPerson();
});

test('orphan: a workflow whose invoice was deleted waits for nothing', async () => {
  await startWorker();
  const { number, invoiceId } = await agreementInvoice(stack);
  await invoiceAwaitingApproval(env.client, stack, number);
  await expectClean();
  await stack.deleteInDataverse(`invoices(${invoiceId})`);

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({ class: 'orphan', document: 'F&O free text invoice', key: number }),
    expect.objectContaining({
      class: 'orphan',
      document: 'workflow',
      key: agreementInvoiceWorkflowId(number),
      workflow: {
        workflowId: agreementInvoiceWorkflowId(number),
        status: 'Running',
        stage: 'AwaitingApproval',
      },
    }),
  ]);
  await expectOnlyAPerson();
});

test('needs attention: a parked workflow is listed with its reason and the retry command', async () => {
  await startWorker();
  await expectClean();
  const { number, invoiceId } = await agreementInvoice(stack);
  await stack.updateInDataverse(`invoices(${invoiceId})`, { msdynce_invoicedate: null });
  await startAgreementInvoice(env.client, stack.config, number);
  await invoiceInStage(env.client, number, 'NeedsAttention');

  const report = await run();
  expect(report.drifts).toEqual([
    expect.objectContaining({
      class: 'needs attention',
      document: 'workflow',
      key: agreementInvoiceWorkflowId(number),
      fix: {
        person: 'Fix what the reason says, then run the command.',
        command: `fsfo agreement-invoice retry ${number}`,
      },
    }),
  ]);
  expect(report.drifts[0]!.message).toContain('it has no invoice date (mandatory in F&O)');
  await expectOnlyAPerson();
});

test('in flight is not drift: a workflow that has not written yet, an invoice changed a moment ago', async () => {
  // No worker: the workflow is started but has not read its invoice yet (stage SyncingFreeTextInvoice).
  const { number: started } = await agreementInvoice(stack);
  await startAgreementInvoice(env.client, stack.config, started);
  await invoiceVisible(env.client, started, `IntegrationStage = 'SyncingFreeTextInvoice'`);
  const { number: changed } = await agreementInvoice(stack); // the agreement invoice sync reports it later

  const now = await run({ now: new Date() });
  expect(now.drifts).toEqual([]);
  expect(now.inFlight).toBe(2);
  expect(now.checked).toBe(3); // two invoices, one running workflow

  const later = await run();
  expect(later.inFlight).toBe(1);
  expect(later.drifts).toEqual([expect.objectContaining({ class: 'orphan', key: changed })]);
});

test('--since: only invoices changed in Field Service since the date are compared', async () => {
  const { number } = await agreementInvoice(stack);
  const tomorrow = new Date(Date.now() + 86_400_000);
  expect(await run({ since: tomorrow })).toMatchObject({ checked: 0, drifts: [] });
  const anHourAgo = new Date(Date.now() - 3_600_000);
  expect((await run({ since: anHourAgo })).drifts).toEqual([
    expect.objectContaining({ class: 'orphan', key: number }),
  ]);
});

test('a page costs the same requests for one invoice or five: key filters, never a request per invoice', async () => {
  const requests = async () => {
    let total = 0;
    for (const service of ['dataverse', 'finance'] as const) {
      total += ((await (await stack.control(service, 'stats', undefined, 'GET')).json()) as { total: number })
        .total;
    }
    return total;
  };
  await startWorker();
  const first = await agreementInvoice(stack);
  await invoiceAwaitingApproval(env.client, stack, first.number);
  await resetStats(stack);
  expect((await run()).checked).toBe(3); // the invoice, its free text invoice, its workflow
  const forOne = await requests();

  for (let more = 0; more < 4; more++) {
    const { number } = await agreementInvoice(stack);
    await invoiceAwaitingApproval(env.client, stack, number);
  }
  await resetStats(stack);
  expect((await run()).checked).toBe(15);
  expect(await requests()).toBe(forOne);
});
