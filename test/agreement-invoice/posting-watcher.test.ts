import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Command } from 'commander';
import { setTimeout as delay } from 'node:timers/promises';
import { agreementInvoiceWorkflowId, startAgreementInvoice } from '../../client/starters/agreement-invoice';
import { registerSchedulesCommands } from '../../client/commands/schedules';
import { applyWatcherSchedules, runScheduleNow } from '../../client/schedules';
import type { FreeTextPostingOutcomes } from '../../activities/watchers/contract';
import { loadMappingProject } from '../../mappings/project/loader';
import type { agreementInvoicing } from '../../workflows';
import {
  approveInvoicingUpdate,
  FREE_TEXT_INVOICE_MEMO,
  statusQuery,
} from '../../workflows/agreement-invoice/messages';
import type { Stage } from '../../workflows/agreement-invoice/stages';
import { IntegrationStage } from '../../workflows/search-attributes';
import { startStack, type Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { createAgreementInvoice } from './field-service-invoices';
import { connectorCatalog } from '../../connectors/entities/catalog';

// Worker + Temporal + sandboxes: a free text invoice posted in F&O reaches Field Service after one run of
// the free text invoice watcher, not at the waiting workflow's daily re-check.
let env: TestWorkflowEnvironment;
let stack: Stack;
let worker: TestWorker;
const scheduleId = 'free-text-invoice-watcher';

beforeAll(async () => {
  env = await connectToTestServer();
  stack = await startStack('free-text-invoice-watcher');
  worker = await inProcessWorker(env, stack, await bundleWorkflows());
  await env.client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  const outcomes = await applyWatcherSchedules(
    env.client,
    stack.config,
    loadMappingProject(stack.config.mappingProject, connectorCatalog()),
    { every: '365 days', since: new Date(), paused: true, only: [scheduleId] }, // the test triggers each run
  );
  expect(outcomes).toEqual({ [scheduleId]: 'created' });
});
afterAll(async () => {
  await env?.client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

type Handle = WorkflowHandle<typeof agreementInvoicing>;

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await delay(200);
  }
}

/** An agreement invoice of one line whose workflow has written its free text invoice and waits in `stage`. */
async function waitingInvoice(
  stage: Stage,
): Promise<{ invoiceNumber: string; invoiceId: string; handle: Handle }> {
  const invoice = await createAgreementInvoice(stack, {
    customer: 'US-002',
    invoiceDate: '2026-11-01',
    lines: [{ product: 'S-3001', description: 'Quarterly maintenance', quantity: 1, price: 250 }],
  });
  await startAgreementInvoice(env.client, stack.config, invoice.invoiceNumber);
  const handle: Handle = env.client.workflow.getHandle(agreementInvoiceWorkflowId(invoice.invoiceNumber));
  const atStage = (wanted: Stage) =>
    until(
      `invoice ${invoice.invoiceNumber} in ${wanted}`,
      () => handle.query(statusQuery),
      (state) => state.stage === wanted,
    );
  await atStage('AwaitingApproval');
  if (stage === 'AwaitingPosting') {
    await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
    await atStage('AwaitingPosting');
  }
  // The watcher reads waiting workflows from visibility, which follows the workflow within a moment.
  await until(
    `invoice ${invoice.invoiceNumber} listed in ${stage}`,
    () => listed(env.client, handle.workflowId),
    (entry) => entry?.stage === stage && entry.freeTextInvoice === invoice.invoiceNumber,
  );
  return { ...invoice, handle };
}

async function listed(
  client: Client,
  workflowId: string,
): Promise<{ stage: unknown; freeTextInvoice: unknown } | undefined> {
  for await (const execution of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    return {
      stage: execution.typedSearchAttributes.get(IntegrationStage),
      freeTextInvoice: execution.memo?.[FREE_TEXT_INVOICE_MEMO],
    };
  }
  return undefined;
}

/** F&O reads of free text invoice headers since the statistics were last reset. */
async function freeTextInvoiceReads(): Promise<number> {
  const stats = (await (await stack.control('finance', 'stats', undefined, 'GET')).json()) as {
    requests: { method: string; entitySet: string; count: number }[];
  };
  return stats.requests
    .filter((request) => request.method === 'GET' && request.entitySet === 'CDSFreeTextInvoiceHeaders')
    .reduce((sum, request) => sum + request.count, 0);
}

test('a free text invoice posted in F&O is recorded in Field Service after one watcher run; waiting ones cost one F&O query', async () => {
  const approved = await waitingInvoice('AwaitingPosting');
  const unapproved = await waitingInvoice('AwaitingApproval');

  await stack.control('finance', 'stats', undefined, 'DELETE');
  const nothingPosted = await runScheduleNow<FreeTextPostingOutcomes>(env.client, scheduleId);
  expect(nothingPosted).toMatchObject({ posted: 0, signalled: 0 });
  expect(nothingPosted.waiting).toBeGreaterThanOrEqual(2);
  expect(await freeTextInvoiceReads()).toBe(1);

  const posted = await stack.control('finance', `free-text-invoices/usmf/${approved.invoiceNumber}/post`);
  expect(posted.status).toBe(200);
  const { InvoiceNumber: postedAs } = (await posted.json()) as { InvoiceNumber: string };

  expect(await runScheduleNow<FreeTextPostingOutcomes>(env.client, scheduleId)).toMatchObject({
    posted: 1,
    signalled: 1,
  });
  // The workflow waits a day between its own checks: finishing now is the watcher's doing.
  expect(await approved.handle.result()).toMatchObject({ stage: 'Posted', freeTextInvoice: { postedAs } });
  expect(
    await stack.dataverse(`invoices(${approved.invoiceId})?$select=msdynce_freetextinvoicenumber`),
  ).toMatchObject({ msdynce_freetextinvoicenumber: postedAs });
  expect((await unapproved.handle.query(statusQuery)).stage).toBe('AwaitingApproval');
  await unapproved.handle.terminate('test done');
});

test('fsfo schedules list shows the free text invoice watcher, which keeps no watermark', async () => {
  const program = new Command('fsfo').exitOverride();
  registerSchedulesCommands(program, () => stack.config);
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await program.parseAsync(['schedules', 'list'], { from: 'user' });
    const printed = log.mock.calls.map((call) => call.join(' ')).join('\n');
    expect(printed).toMatch(
      /free-text-invoice-watcher: paused, every 31536000 s\n {2}last run: +\d{4}-.*\n {2}next run: +\d{4}-.*\n(?! {2}watermark)/,
    );
  } finally {
    log.mockRestore();
  }
});
