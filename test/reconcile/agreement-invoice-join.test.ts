import { agreementInvoiceWorkflowId, startAgreementInvoice } from '../../client/starters/agreement-invoice';
import {
  agreementInvoice,
  freeTextHeaderPath,
  freeTextLinePath,
  invoiceAwaitingApproval,
  invoiceAwaitingPosting,
  invoiceInStage,
  invoicePosted,
  invoiceVisible,
  postFreeTextInvoice,
} from './invoice-support';
import { asFinanceUser, joinTestbed, resetStats } from './support';

// The agreement invoice join of `fsfo reconcile` against worker + Temporal + the sandboxes, each drift
// class seeded as a Field Service or F&O user would cause it (see `JoinTestbed`).
const bed = joinTestbed('reconcile-agreement');

const recordedNumber = async (invoiceId: string) =>
  (
    await bed.stack.dataverse<{ msdynce_freetextinvoicenumber: string | null }>(
      `invoices(${invoiceId})?$select=msdynce_freetextinvoicenumber`,
    )
  ).msdynce_freetextinvoicenumber;

test('orphan: an agreement invoice no workflow looks after; --fix starts it, and then all is clean', async () => {
  await bed.startWorker();
  await bed.expectClean();
  const { number } = await agreementInvoice(bed.stack); // the agreement invoice sync never reported it

  const report = await bed.expectDrifts([
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

  await bed.expectRepaired(
    [{ command: `fsfo agreement-invoice start ${number}`, outcome: 'workflow started or told of a change' }],
    () => invoiceInStage(bed.env.client, number, 'AwaitingApproval'),
  );
});

test('lines differ: an F&O user changes a line of a free text invoice awaiting approval; a person sets it back', async () => {
  await bed.startWorker();
  const { number } = await agreementInvoice(bed.stack);
  await invoiceAwaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await asFinanceUser(bed.stack, 'PATCH', freeTextLinePath(number, 2), {
    Quantity: 3,
    TransactionCurrencyAmount: 240,
  });

  const report = await bed.expectDrifts([
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
  await bed.expectOnlyAPerson();
});

test('header differs: an F&O user bills another customer on a free text invoice awaiting approval', async () => {
  await bed.startWorker();
  const { number } = await agreementInvoice(bed.stack);
  await invoiceAwaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await asFinanceUser(bed.stack, 'PATCH', freeTextHeaderPath(number), { CustomerAccount: 'US-001' });

  await bed.expectDrifts([
    expect.objectContaining({
      class: 'header differs',
      document: 'F&O free text invoice',
      key: number,
      fieldService: { CustomerAccount: 'US-003' },
      finance: { CustomerAccount: 'US-001' },
    }),
  ]);
  await bed.expectOnlyAPerson();
});

test('missing: the free text invoice of an invoice awaiting approval is deleted in F&O; a person has it written again', async () => {
  await bed.startWorker();
  const { number } = await agreementInvoice(bed.stack);
  await invoiceAwaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await asFinanceUser(bed.stack, 'DELETE', freeTextHeaderPath(number));

  await bed.expectDrifts([
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
  await bed.expectOnlyAPerson();
});

test('not recorded: F&O posts the free text invoice a workflow waits for; --fix signals freeTextInvoicePosted', async () => {
  await bed.startWorker();
  const { number, invoiceId } = await agreementInvoice(bed.stack);
  const handle = await invoiceAwaitingPosting(bed.env.client, bed.stack, number);
  await bed.expectClean();
  const postedAs = await postFreeTextInvoice(bed.stack, number); // no watcher: nobody told the workflow

  const command = `fsfo agreement-invoice posted ${number}`;
  await bed.expectDrifts([
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

  await bed.expectRepaired(
    [{ command, outcome: 'its workflow asks F&O for the posting and records it' }],
    async () => {
      expect(await handle.result()).toMatchObject({ stage: 'Posted', freeTextInvoice: { postedAs } });
      expect(await recordedNumber(invoiceId)).toBe(postedAs);
      await invoiceVisible(bed.env.client, number, `ExecutionStatus = 'Completed'`);
    },
  );
});

test('not recorded: the F&O number on a posted invoice is cleared in Field Service after its workflow ended', async () => {
  await bed.startWorker();
  const { number, invoiceId } = await agreementInvoice(bed.stack);
  const postedAs = await invoicePosted(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await bed.stack.updateInDataverse(`invoices(${invoiceId})`, { msdynce_freetextinvoicenumber: null });

  await bed.expectDrifts([
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
  await bed.expectOnlyAPerson();
});

test('duplicated: a second Field Service invoice with the number of an agreement invoice', async () => {
  await bed.startWorker();
  const { number } = await agreementInvoice(bed.stack);
  await invoiceAwaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await bed.stack.createInDataverse('invoices', {
    invoicenumber: number,
    name: number,
    'customerid_account@odata.bind': "/accounts(accountnumber='US-003')",
    msdynce_invoicedate: '2026-02-28',
    msdynce_haslineswithagreementorigin: true,
  });

  const report = await bed.expectDrifts([
    expect.objectContaining({ class: 'duplicated', document: 'agreement invoice', key: number }),
  ]);
  expect(report.checked).toBe(4); // two invoices, the free text invoice, the running workflow
  await bed.expectOnlyAPerson();
});

test('orphan: a posted free text invoice whose Field Service invoice was deleted', async () => {
  await bed.startWorker();
  const { number, invoiceId } = await agreementInvoice(bed.stack);
  const postedAs = await invoicePosted(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await bed.stack.deleteInDataverse(`invoices(${invoiceId})`);

  await bed.expectDrifts([
    expect.objectContaining({
      class: 'orphan',
      document: 'F&O free text invoice',
      key: number,
      fieldService: null,
      finance: { ExternalInvoiceId: number, IsPosted: 'Yes', InvoiceNumber: postedAs },
      fix: { person: `Credit ${postedAs} in F&O if the agreement work should not be billed.` },
    }),
  ]);
  await bed.expectOnlyAPerson();
});

test('orphan: a workflow whose invoice was deleted waits for nothing', async () => {
  await bed.startWorker();
  const { number, invoiceId } = await agreementInvoice(bed.stack);
  await invoiceAwaitingApproval(bed.env.client, bed.stack, number);
  await bed.expectClean();
  await bed.stack.deleteInDataverse(`invoices(${invoiceId})`);

  await bed.expectDrifts([
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
  await bed.expectOnlyAPerson();
});

test('needs attention: a parked workflow is listed with its reason and the retry command', async () => {
  await bed.startWorker();
  await bed.expectClean();
  const { number, invoiceId } = await agreementInvoice(bed.stack);
  await bed.stack.updateInDataverse(`invoices(${invoiceId})`, { msdynce_invoicedate: null });
  await startAgreementInvoice(bed.env.client, bed.stack.config, number);
  await invoiceInStage(bed.env.client, number, 'NeedsAttention');

  const report = await bed.expectDrifts([
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
  await bed.expectOnlyAPerson();
});

test('in flight is not drift: a workflow that has not written yet, an invoice changed a moment ago', async () => {
  // No worker: the workflow is started but has not read its invoice yet (stage SyncingFreeTextInvoice).
  const { number: started } = await agreementInvoice(bed.stack);
  await startAgreementInvoice(bed.env.client, bed.stack.config, started);
  await invoiceVisible(bed.env.client, started, `IntegrationStage = 'SyncingFreeTextInvoice'`);
  const { number: changed } = await agreementInvoice(bed.stack); // the agreement invoice sync reports it later

  const now = await bed.run({ now: new Date() });
  expect(now.drifts).toEqual([]);
  expect(now.inFlight).toBe(2);
  expect(now.checked).toBe(3); // two invoices, one running workflow

  const later = await bed.run();
  expect(later.inFlight).toBe(1);
  expect(later.drifts).toEqual([expect.objectContaining({ class: 'orphan', key: changed })]);
});

test('--since: only invoices changed in Field Service since the date are compared', async () => {
  const { number } = await agreementInvoice(bed.stack);
  const tomorrow = new Date(Date.now() + 86_400_000);
  expect(await bed.run({ since: tomorrow })).toMatchObject({ checked: 0, drifts: [] });
  const anHourAgo = new Date(Date.now() - 3_600_000);
  expect((await bed.run({ since: anHourAgo })).drifts).toEqual([
    expect.objectContaining({ class: 'orphan', key: number }),
  ]);
});

test('a page costs the same requests for one invoice or five: key filters, never a request per invoice', async () => {
  await bed.startWorker();
  const first = await agreementInvoice(bed.stack);
  await invoiceAwaitingApproval(bed.env.client, bed.stack, first.number);
  await resetStats(bed.stack);
  expect((await bed.run()).checked).toBe(3); // the invoice, its free text invoice, its workflow
  const forOne = await bed.requests();

  for (let more = 0; more < 4; more++) {
    const { number } = await agreementInvoice(bed.stack);
    await invoiceAwaitingApproval(bed.env.client, bed.stack, number);
  }
  await resetStats(bed.stack);
  expect((await bed.run()).checked).toBe(15);
  expect(await bed.requests()).toBe(forOne);
});
