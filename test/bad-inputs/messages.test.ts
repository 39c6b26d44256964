import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import {
  approveInvoicingSignal,
  approveInvoicingUpdate,
  invoicePostedSignal,
  rejectInvoicingSignal,
  rejectInvoicingUpdate,
  retryUpdate,
  statusQuery,
} from '../../workflows/work-order/messages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { untilIdle } from '../support/workflow-idle';
import { type Handle, refusal, start, waitForStage } from './support';

// Update and signal payloads an operator or a tool may get wrong. A refused update answers with a
// message and leaves no trace in history; a bad signal is dropped and the workflow goes on waiting.
let env: TestWorkflowEnvironment;
let stack: Stack;
let worker: TestWorker;
/** Three work orders, one per stage the messages target. */
let awaitingApproval: Handle;
let needsAttention: Handle;
let awaitingInvoice: Handle;
let awaitingInvoiceNumber: string;

const completedWorkOrder = () =>
  createWorkOrder(stack, {
    status: SystemStatus.Completed,
    products: [{ product: 'P-1000', used: true, allocated: true, estimate: 1, quantity: 1, price: 45 }],
  });

beforeAll(async () => {
  env = await connectToTestServer();
  const [workflowBundle, started] = await Promise.all([bundleWorkflows(), startStack('bad-inputs-msg')]);
  stack = started;
  worker = await inProcessWorker(env, stack, workflowBundle);
  const never = { ...stack.config, approvalPolicy: 'never' as const };
  const [approval, attention, invoice] = await Promise.all([
    completedWorkOrder(),
    createWorkOrder(stack, {
      status: SystemStatus.Completed,
      products: [{ product: 'P-1000', used: true, allocated: true, estimate: -1, quantity: -1, price: 45 }],
    }),
    completedWorkOrder(),
  ]);
  awaitingInvoiceNumber = invoice;
  [awaitingApproval, needsAttention, awaitingInvoice] = await Promise.all([
    start(env.client, stack.config, approval),
    start(env.client, stack.config, attention),
    start(env.client, never, invoice),
  ]);
  await Promise.all([
    waitForStage(awaitingApproval, 'AwaitingApproval'),
    waitForStage(needsAttention, 'NeedsAttention'),
    waitForStage(awaitingInvoice, 'AwaitingInvoice'),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all(
    [awaitingApproval, needsAttention, awaitingInvoice].map((handle) =>
      handle?.terminate('done').catch(() => {}),
    ),
  );
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

const EventType = temporal.api.enums.v1.EventType;
async function updateEvents(handle: Handle): Promise<number> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events.filter(
    (event) =>
      event.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED ||
      event.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
  ).length;
}

describe('refused updates: a message, no change, nothing in history', () => {
  test.each([
    ['approveInvoicing without approvedBy', {}, /^approvedBy: name who approves \(required\)$/],
    [
      'approveInvoicing with a blank approvedBy',
      { approvedBy: '   ' },
      /^approvedBy: name who approves \(blank is not a name\)$/,
    ],
    [
      'approveInvoicing with a 3,000-character comment',
      { approvedBy: 'dana', comment: 'x'.repeat(3000) },
      /^comment: Too big: expected string to have <=2000 characters$/,
    ],
    [
      'approveInvoicing with approvedBy a number',
      { approvedBy: 42 },
      /^approvedBy: name who approves as text$/,
    ],
  ])('%s', async (_name, payload, message) => {
    const before = await updateEvents(awaitingApproval);
    const refused = await refusal(
      awaitingApproval.executeUpdate(approveInvoicingUpdate, { args: [payload as never] }),
    );
    expect(refused).toMatch(message);
    const state = await awaitingApproval.query(statusQuery);
    expect(state.stage).toBe('AwaitingApproval');
    expect(state.approval).toBeUndefined();
    expect(await updateEvents(awaitingApproval)).toBe(before);
  });

  test('rejectInvoicing without rejectedBy or reason names both', async () => {
    const refused = await refusal(
      awaitingApproval.executeUpdate(rejectInvoicingUpdate, { args: [{} as never] }),
    );
    expect(refused).toBe(
      'rejectedBy: name who rejects (required); reason: give the reason the technician must act on (required)',
    );
    expect((await awaitingApproval.query(statusQuery)).rejections).toEqual([]);
  });

  test('rejectInvoicing without a reason', async () => {
    const refused = await refusal(
      awaitingApproval.executeUpdate(rejectInvoicingUpdate, {
        args: [{ rejectedBy: 'dana', reason: ' ' }],
      }),
    );
    expect(refused).toMatch(/a rejection needs a reason the technician can act on/);
    const state = await awaitingApproval.query(statusQuery);
    expect(state).toMatchObject({ stage: 'AwaitingApproval', rejections: [] });
  });

  test('retry of a work order that does not need attention', async () => {
    const refused = await refusal(awaitingApproval.executeUpdate(retryUpdate, { args: [{}] }));
    expect(refused).toBe(
      `Cannot retry: work order ${(await awaitingApproval.query(statusQuery)).workOrderNumber} is AwaitingApproval, not NeedsAttention`,
    );
  });

  test('approveInvoicing of a work order in NeedsAttention', async () => {
    const { workOrderNumber } = await needsAttention.query(statusQuery);
    const refused = await refusal(
      needsAttention.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana' }] }),
    );
    expect(refused).toBe(
      `Cannot approve invoicing: work order ${workOrderNumber} is NeedsAttention, not AwaitingApproval`,
    );
    expect((await needsAttention.query(statusQuery)).stage).toBe('NeedsAttention');
  });

  test('rejectInvoicing of a work order already awaiting its invoice', async () => {
    const refused = await refusal(
      awaitingInvoice.executeUpdate(rejectInvoicingUpdate, {
        args: [{ rejectedBy: 'dana', reason: 'late' }],
      }),
    );
    expect(refused).toMatch(
      /^Cannot reject invoicing: work order .* is AwaitingInvoice, not AwaitingApproval$/,
    );
  });
});

describe('bad signals are dropped; the workflow goes on waiting', () => {
  test('approveInvoicing signal with a blank approvedBy', async () => {
    await awaitingApproval.signal(approveInvoicingSignal, { approvedBy: '' });
    await awaitingApproval.signal(rejectInvoicingSignal, { rejectedBy: 'dana', reason: '' });
    await untilIdle(awaitingApproval);
    const state = await awaitingApproval.query(statusQuery);
    expect(state).toMatchObject({ stage: 'AwaitingApproval', rejections: [] });
    expect(state.approval).toBeUndefined();
  });

  test('invoicePosted with an empty invoice number, then one for an invoice F&O has not posted', async () => {
    await awaitingInvoice.signal(invoicePostedSignal, { invoiceNumber: '' });
    await awaitingInvoice.signal(invoicePostedSignal, { invoiceNumber: 'CIV-999999', legalEntity: 'usmf' });
    await untilIdle(awaitingInvoice);
    const state = await awaitingInvoice.query(statusQuery);
    expect(state.stage).toBe('AwaitingInvoice');
    expect(state.waitingFor).toContain(`F&O to post the invoice of ${awaitingInvoiceNumber}`);
    expect(state.invoice).toBeUndefined();
    const { value } = await stack.dataverse<{ value: unknown[] }>(
      `invoices?$filter=invoicenumber eq 'CIV-999999'&$select=invoicenumber`,
    );
    expect(value).toEqual([]);

    // Still alive: the real invoice, once posted, is recorded.
    const posted = await stack.control('finance', `sales-orders/usmf/${awaitingInvoiceNumber}/post-invoice`);
    expect(posted.status).toBe(200);
    const { InvoiceNumber } = (await posted.json()) as { InvoiceNumber: string };
    await awaitingInvoice.signal(invoicePostedSignal, { invoiceNumber: InvoiceNumber, legalEntity: 'usmf' });
    expect(await awaitingInvoice.result()).toMatchObject({
      stage: 'Invoiced',
      invoice: { invoiceNumber: InvoiceNumber },
    });
  });
});
