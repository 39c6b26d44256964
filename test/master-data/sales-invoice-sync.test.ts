import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import type { SyncInput } from '../../activities/master-data/contract';
import { saveScheduleInput } from '../../activities/watchers/schedule-watermark';
import { applySyncSchedules, syncScheduleId } from '../../client/sync-schedules';
import { loadMappingProject } from '../../mappings/project/loader';
import { startStack, type Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { runSchedule, scheduleInput } from './support';

// Worker + Temporal + sandboxes. Every invoice date is pinned, and so is the schedule's start, so the
// outcome is the same at any hour of any day: F&O dates invoices without a time of day.
let env: TestWorkflowEnvironment;
let stack: Stack;
let worker: TestWorker;
const scheduleId = syncScheduleId('sales-invoices');
/** The schedule is created at 15:00 UTC: invoices dated that day were posted before it started. */
const SCHEDULE_START = new Date('2025-12-01T15:00:00Z');

beforeAll(async () => {
  env = await connectToTestServer();
  stack = await startStack('sales-invoice-sync');
  worker = await inProcessWorker(env, stack, await bundleWorkflows());
  await env.client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await applySyncSchedules(env.client, stack.config, loadMappingProject(stack.config.mappingProject), {
    every: '365 days', // each test triggers its runs
    since: SCHEDULE_START,
    only: ['sales-invoices'],
  });
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

/** An F&O user posts the invoice of a new one-line sales order (90.00 USD) with this invoice date. */
async function postInvoice(invoiceDate: string, invoiceNumber?: string): Promise<string> {
  const order = `SO-INV-${randomUUID().slice(0, 8).toUpperCase()}`;
  await stack.createInFinance('CDSSalesOrderHeaders', {
    dataAreaId: 'usmf',
    SalesOrderNumber: order,
    OrderingCustomerAccountNumber: 'US-002',
    CurrencyCode: 'USD',
  });
  await stack.createInFinance('CDSSalesOrderLines', {
    dataAreaId: 'usmf',
    SalesOrderNumber: order,
    LineCreationSequenceNumber: 1,
    ProductNumber: 'P-1000',
    OrderedSalesQuantity: 2,
    SalesUnitSymbol: 'ea',
    SalesPrice: 45,
  });
  const posted = await stack.control('finance', `sales-orders/usmf/${order}/post-invoice`, {
    invoiceDate,
    ...(invoiceNumber ? { invoiceNumber } : {}),
  });
  if (posted.status !== 200) throw new Error(`post-invoice: ${posted.status} ${await posted.text()}`);
  const invoice = (await posted.json()) as { InvoiceNumber: string; InvoiceDate: string };
  expect(invoice.InvoiceDate.slice(0, 10)).toBe(invoiceDate);
  return invoice.InvoiceNumber;
}

/** The Field Service invoices with this number: their totals. */
async function recorded(invoiceNumber: string): Promise<number[]> {
  const { value } = await stack.dataverse<{ value: { totalamount: number }[] }>(
    `invoices?$filter=invoicenumber eq '${invoiceNumber}'&$select=totalamount`,
  );
  return value.map((invoice) => invoice.totalamount);
}

test('an invoice dated the day the schedule started, before it started, is recorded', async () => {
  const invoice = await postInvoice('2025-12-01');
  expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
  expect(await recorded(invoice)).toEqual([90]);
});

test('invoices posted at 23:59 and 00:01 UTC are both recorded, also when the next day is read first', async () => {
  const lateEvening = await postInvoice('2026-03-05'); // posted 2026-03-05 23:59
  expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
  const afterMidnight = await postInvoice('2026-03-06'); // posted 2026-03-06 00:01
  expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
  // Posted at 23:59 by a server whose posting committed after the 00:01 one had been read.
  const committedLate = await postInvoice('2026-03-05');
  expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
  for (const invoice of [lateEvening, afterMidnight, committedLate]) {
    expect(await recorded(invoice)).toEqual([90]);
  }
});

test('an invoice of the newest date whose number sorts before one already read is recorded', async () => {
  const read = await postInvoice('2026-03-06');
  expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
  // A number from a block another server preallocated: smaller than the one read, same date.
  const smaller = await postInvoice('2026-03-06', 'CIV-000000-PRE');
  expect(smaller < read).toBe(true);
  expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
  expect(await recorded(smaller)).toEqual([90]);
});

test('a backdated invoice is recorded; one dated before the lookback window is left to the retry list, which records it by key', async () => {
  const backdated = await postInvoice('2026-02-05'); // a month before the newest date, 2026-03-06
  expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
  expect(await recorded(backdated)).toEqual([90]);

  // More than the 62 days of the window before 2026-03-06: the reconciliation's to find.
  const tooOld = await postInvoice('2025-12-20');
  expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 0, failed: [] });
  expect(await recorded(tooOld)).toEqual([]);
  const input = await scheduleInput(env.client, scheduleId);
  await saveScheduleInput(env.client, scheduleId, { ...input, retry: [tooOld] } satisfies SyncInput);
  expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
  expect(await recorded(tooOld)).toEqual([90]);
});

test('a run with nothing new records nothing and costs F&O one read and one count, Field Service nothing', async () => {
  await stack.control('finance', 'stats', undefined, 'DELETE');
  await stack.control('dataverse', 'stats', undefined, 'DELETE');
  expect(await runSchedule(env.client, scheduleId)).toMatchObject({
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: [],
  });
  const stats = async (service: 'finance' | 'dataverse') =>
    (await (await stack.control(service, 'stats', undefined, 'GET')).json()) as {
      total: number;
      byEntitySet: Record<string, number>;
    };
  expect((await stats('finance')).byEntitySet).toEqual({
    SalesInvoiceHeadersV2: 1,
    'SalesInvoiceHeadersV2/$count': 1,
  });
  expect((await stats('dataverse')).total).toBe(0);
});
