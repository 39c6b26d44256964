import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { agreementInvoiceWorkflowId, startAgreementInvoice } from '../../client/starters/agreement-invoice';
import type { agreementInvoicing } from '../../workflows';
import {
  approveInvoicingUpdate,
  freeTextInvoicePostedSignal,
  rejectInvoicingUpdate,
  statusQuery,
} from '../../workflows/agreement-invoice/messages';
import type { Stage } from '../../workflows/agreement-invoice/stages';
import {
  AgreementNumber,
  IntegrationStage,
  InvoiceNumber,
  LegalEntity,
} from '../../workflows/search-attributes';
import { startStack, type Stack } from '../support/stack';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { untilIdle } from '../support/workflow-idle';
import { createAgreementInvoice, updateInDataverse } from './field-service-invoices';

// Worker + Temporal + the Dynamics 365 sandboxes, over real HTTP.
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
});
beforeEach(async () => {
  stack = await startStack('e2e-agreement-invoice');
  worker = await inProcessWorker(env, stack, workflowBundle);
});
afterEach(async () => {
  await worker.stop();
  await stack.close();
});
afterAll(() => env?.teardown());

type Handle = WorkflowHandle<typeof agreementInvoicing>;

async function start(invoiceNumber: string): Promise<Handle> {
  await startAgreementInvoice(env.client, stack.config, invoiceNumber);
  return env.client.workflow.getHandle(agreementInvoiceWorkflowId(invoiceNumber));
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

interface FreeTextLine {
  LineNumber: number;
  Description: string;
  Quantity: number;
  UnitPrice: number;
  MainAccountDisplayValue: string;
}

const headerPath = (invoiceNumber: string) =>
  `CDSFreeTextInvoiceHeaders(dataAreaId='usmf',ExternalInvoiceId='${invoiceNumber}')`;

async function freeTextLines(invoiceNumber: string): Promise<FreeTextLine[]> {
  const { value } = await stack.finance<{ value: FreeTextLine[] }>(
    `CDSFreeTextInvoiceLines?$filter=ExternalInvoiceId eq '${invoiceNumber}'&$orderby=LineNumber`,
  );
  return value.map(({ LineNumber, Description, Quantity, UnitPrice, MainAccountDisplayValue }) => ({
    LineNumber,
    Description,
    Quantity,
    UnitPrice,
    MainAccountDisplayValue,
  }));
}

/** F&O writes to free text invoices since the statistics were last reset. */
async function freeTextInvoiceWrites(): Promise<number> {
  const response = await stack.control('finance', 'stats', undefined, 'GET');
  const stats = (await response.json()) as {
    requests: { method: string; entitySet: string; count: number }[];
  };
  return stats.requests
    .filter((request) => request.method !== 'GET' && /FreeText|\$batch/.test(request.entitySet))
    .reduce((sum, request) => sum + request.count, 0);
}

test('an agreement invoice becomes one free text invoice, is approved, posted in F&O, recorded in Field Service; duplicate starts change nothing', async () => {
  const customer = `US-T${randomUUID().slice(0, 6).toUpperCase()}`;
  await stack.createInDataverse('accounts', {
    name: `Agreement customer ${customer}`,
    accountnumber: customer,
  });
  const invoice = await createAgreementInvoice(stack, {
    customer,
    invoiceDate: '2026-02-28',
    lines: [
      { product: 'P-2000', description: 'Filter kit', quantity: 1, price: 12 },
      { product: 'S-3000', description: 'Maintenance visit', quantity: 2, price: 80 },
      { product: 'P-1000', description: 'Extra part', quantity: 1, price: 45, agreementOrigin: false },
    ],
  });
  const handle = await start(invoice.invoiceNumber);
  await waitForStage(handle, 'AwaitingApproval');

  expect(await stack.finance(`CustomersV3(dataAreaId='usmf',CustomerAccount='${customer}')`)).toMatchObject({
    CustomerAccount: customer,
  });
  expect(await stack.finance(headerPath(invoice.invoiceNumber))).toMatchObject({
    CustomerAccount: customer,
    CurrencyCode: 'USD',
    InvoiceOriginType: 'AgreementInvoiceIntegration',
    IsPosted: 'No',
  });
  expect(
    String((await stack.finance<{ InvoiceDate: string }>(headerPath(invoice.invoiceNumber))).InvoiceDate),
  ).toMatch(/^2026-02-28/);
  // Only the agreement-origin lines, with the template's default main account.
  expect(await freeTextLines(invoice.invoiceNumber)).toEqual([
    {
      LineNumber: 1,
      Description: 'Filter kit',
      Quantity: 1,
      UnitPrice: 12,
      MainAccountDisplayValue: '401100',
    },
    {
      LineNumber: 2,
      Description: 'Maintenance visit',
      Quantity: 2,
      UnitPrice: 80,
      MainAccountDisplayValue: '401100',
    },
  ]);
  const state = await handle.query(statusQuery);
  expect(state).toMatchObject({
    agreementNumber: 'AGR-00001',
    freeTextInvoice: { externalInvoiceId: invoice.invoiceNumber, totalAmount: 172, lineCount: 2 },
  });
  const attributes = await eventually(
    'search attributes',
    async () => (await handle.describe()).typedSearchAttributes,
    (typed) => typed.get(AgreementNumber) === 'AGR-00001',
  );
  expect(attributes.get(InvoiceNumber)).toBe(invoice.invoiceNumber);
  expect(attributes.get(LegalEntity)).toBe('usmf');
  expect(attributes.get(IntegrationStage)).toBe('AwaitingApproval');

  await stack.control('finance', 'stats', undefined, 'DELETE');
  await start(invoice.invoiceNumber);
  await start(invoice.invoiceNumber);
  await untilIdle(handle);
  expect((await handle.query(statusQuery)).stage).toBe('AwaitingApproval');
  expect(await freeTextInvoiceWrites()).toBe(0);

  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
  await waitForStage(handle, 'AwaitingPosting');
  const posted = await stack.control('finance', `free-text-invoices/usmf/${invoice.invoiceNumber}/post`);
  expect(posted.status).toBe(200);
  const { InvoiceNumber: postedAs } = (await posted.json()) as { InvoiceNumber: string };
  await handle.signal(freeTextInvoicePostedSignal);
  const result = await handle.result();

  expect(result).toMatchObject({
    stage: 'Posted',
    approval: { approvedBy: 'dana@contoso.com' },
    freeTextInvoice: { postedAs },
  });
  expect(
    await stack.dataverse(`invoices(${invoice.invoiceId})?$select=msdynce_freetextinvoicenumber`),
  ).toMatchObject({ msdynce_freetextinvoicenumber: postedAs });
  const { value: headers } = await stack.finance<{ value: unknown[] }>(
    `CDSFreeTextInvoiceHeaders?$filter=ExternalInvoiceId eq '${invoice.invoiceNumber}'`,
  );
  expect(headers).toHaveLength(1);
  expect(await freeTextLines(invoice.invoiceNumber)).toHaveLength(2);
  expect(await startAgreementInvoice(env.client, stack.config, invoice.invoiceNumber)).toBe(
    'already-completed',
  );
});

test('a change before posting updates the free text invoice; a change after posting needs attention until undone', async () => {
  const invoice = await createAgreementInvoice(stack, {
    customer: 'US-001',
    invoiceDate: '2026-03-31',
    lines: [
      { product: 'P-2000', description: 'Filter kit', quantity: 1, price: 12 },
      { product: 'S-3000', description: 'Maintenance visit', quantity: 2, price: 80 },
    ],
  });
  const [first, second] = invoice.detailIds;
  const handle = await start(invoice.invoiceNumber);
  await waitForStage(handle, 'AwaitingApproval');

  await updateInDataverse(stack, `invoicedetails(${first})`, { quantity: 3, extendedamount: 36 });
  await start(invoice.invoiceNumber);
  await eventually(
    'the changed quantity in F&O',
    () => freeTextLines(invoice.invoiceNumber),
    (lines) => lines[0]?.Quantity === 3,
  );
  // A line added, then no longer of agreement origin: added to and removed from the free text invoice.
  const added = await stack.createInDataverse('invoicedetails', {
    productdescription: 'Extra visit',
    lineitemnumber: 3,
    quantity: 1,
    priceperunit: 80,
    extendedamount: 80,
    msdynce_hasagreementorigin: true,
    'invoiceid@odata.bind': `/invoices(${invoice.invoiceId})`,
    'productid@odata.bind': "/products(productnumber='S-3000')",
  });
  await start(invoice.invoiceNumber);
  await eventually(
    'the added line in F&O',
    () => freeTextLines(invoice.invoiceNumber),
    (lines) => lines.length === 3,
  );
  await updateInDataverse(stack, `invoicedetails(${added})`, { msdynce_hasagreementorigin: false });
  await start(invoice.invoiceNumber);
  await eventually(
    'the removed line gone from F&O',
    () => freeTextLines(invoice.invoiceNumber),
    (lines) => lines.length === 2,
  );
  await waitForStage(handle, 'AwaitingApproval');
  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
  await waitForStage(handle, 'AwaitingPosting');

  await updateInDataverse(stack, `invoicedetails(${second})`, { priceperunit: 90, extendedamount: 180 });
  await start(invoice.invoiceNumber);
  await eventually(
    'the changed price in F&O',
    () => freeTextLines(invoice.invoiceNumber),
    (lines) => lines[1]?.UnitPrice === 90,
  );
  await waitForStage(handle, 'AwaitingPosting');
  expect((await handle.query(statusQuery)).freeTextInvoice).toMatchObject({ totalAmount: 216 });

  const posted = await stack.control('finance', `free-text-invoices/usmf/${invoice.invoiceNumber}/post`);
  expect(posted.status).toBe(200);
  await updateInDataverse(stack, `invoicedetails(${first})`, { quantity: 5, extendedamount: 60 });
  await start(invoice.invoiceNumber);
  const parked = await waitForStage(handle, 'NeedsAttention');
  expect(parked.attention?.reason).toMatch(
    new RegExp(`Invoice ${invoice.invoiceNumber} changed in Field Service after F&O posted it as FTI-`),
  );
  expect(parked.attention?.reason).toContain('line 1 Quantity: 3 in F&O, 5 in Field Service');
  expect((await freeTextLines(invoice.invoiceNumber))[0]?.Quantity).toBe(3);

  // Undone in Field Service: the invoice matches the posted one again, and the posting is recorded.
  await updateInDataverse(stack, `invoicedetails(${first})`, { quantity: 3, extendedamount: 36 });
  await start(invoice.invoiceNumber);
  const result = await handle.result();
  expect(result.stage).toBe('Posted');
  expect(
    await stack.dataverse(`invoices(${invoice.invoiceId})?$select=msdynce_freetextinvoicenumber`),
  ).toMatchObject({ msdynce_freetextinvoicenumber: result.freeTextInvoice?.postedAs });
});

test('a rejected invoice waits for a change in Field Service, then asks again; posting in F&O before approval completes it', async () => {
  const invoice = await createAgreementInvoice(stack, {
    customer: 'US-002',
    invoiceDate: '2026-04-30',
    lines: [{ product: 'S-3000', description: 'Maintenance visit', quantity: 2, price: 80 }],
  });
  const handle = await start(invoice.invoiceNumber);
  await waitForStage(handle, 'AwaitingApproval');
  await handle.executeUpdate(rejectInvoicingUpdate, {
    args: [{ rejectedBy: 'dana@contoso.com', reason: 'one visit only' }],
  });
  await waitForStage(handle, 'Rejected');
  await start(invoice.invoiceNumber); // nothing changed: stays rejected
  await untilIdle(handle);
  expect((await handle.query(statusQuery)).stage).toBe('Rejected');

  await updateInDataverse(stack, `invoicedetails(${invoice.detailIds[0]})`, {
    quantity: 1,
    extendedamount: 80,
  });
  await start(invoice.invoiceNumber);
  const asked = await waitForStage(handle, 'AwaitingApproval');
  expect(asked.freeTextInvoice).toMatchObject({ totalAmount: 80 });
  expect((await freeTextLines(invoice.invoiceNumber))[0]?.Quantity).toBe(1);

  const posted = await stack.control('finance', `free-text-invoices/usmf/${invoice.invoiceNumber}/post`);
  expect(posted.status).toBe(200);
  await handle.signal(freeTextInvoicePostedSignal);
  const result = await handle.result();
  expect(result).toMatchObject({ stage: 'Posted', rejections: [{ reason: 'one visit only' }] });
  expect(result.approval).toBeUndefined();
});
