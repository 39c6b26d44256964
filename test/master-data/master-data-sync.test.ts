import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { SyncInput } from '../../activities/master-data/contract';
import { saveScheduleInput } from '../../activities/watchers/schedule-watermark';
import { resultOfRunAfter } from '../../client/schedules';
import { applySyncSchedules, syncScheduleId } from '../../client/sync-schedules';
import { loadMappingProject } from '../../mappings/project/loader';
import { agreementInvoiceWorkflowId } from '../../client/starters/agreement-invoice';
import type { MasterDataSyncResult } from '../../workflows/master-data/sync';
import { createAgreementInvoice } from '../agreement-invoice/field-service-invoices';
import { startStack, type Stack } from '../support/stack';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { setTimeout as delay } from 'node:timers/promises';
import {
  createProduct,
  createProducts,
  heapGrowthDuring,
  idOf,
  postSalesInvoice,
  runSchedule,
  scheduleInput,
} from './support';
import { connectorCatalog } from '../../connectors/entities/catalog';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker;
const SYNCS = ['products', 'customers', 'sales-invoices', 'agreement-invoices'];
/** The sales invoice schedule starts at 15:00 UTC; invoices dated that day were posted before it started. */
const INVOICES_SINCE = new Date('2025-12-01T15:00:00Z');

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
  stack = await startStack('master-data');
  // A currency Field Service knows and F&O does not: F&O refuses records that carry it.
  await stack.createInDataverse('transactioncurrencies', {
    isocurrencycode: 'XTS',
    currencyname: 'Test currency',
    currencysymbol: '¤',
    currencyprecision: 2,
    exchangerate: 1,
  });
  worker = await inProcessWorker(env, stack, workflowBundle);
  // Syncs start reading from now: the seeded records are not theirs to count.
  const project = loadMappingProject(stack.config.mappingProject, connectorCatalog());
  await applySyncSchedules(env.client, stack.config, project, {
    every: '365 days',
    paused: true, // the test triggers each run
    since: new Date(Date.now() - 1000),
    only: SYNCS.filter((sync) => sync !== 'sales-invoices'),
  });
  // F&O dates invoices without a time of day: the sales invoice tests pin the schedule's start and their dates.
  await applySyncSchedules(env.client, stack.config, project, {
    every: '365 days',
    paused: true, // the test triggers each run
    since: INVOICES_SINCE,
    only: ['sales-invoices'],
  });
});
afterAll(async () => {
  for (const sync of SYNCS) {
    await env.client.schedule
      .getHandle(syncScheduleId(sync))
      .delete()
      .catch(() => undefined);
  }
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

/** Each product's "externally maintained" flag in Field Service. */
async function maintainedInFinance(numbers: readonly string[]): Promise<unknown[]> {
  const { value } = await stack.dataverse<{ value: Record<string, unknown>[] }>(
    `products?$filter=${numbers.map((number) => `productnumber eq '${number}'`).join(' or ')}` +
      '&$select=productnumber,msdynce_isexternallymaintained',
  );
  const flags = new Map(value.map((row) => [row.productnumber, row.msdynce_isexternallymaintained]));
  return numbers.map((number) => flags.get(number));
}

const releasedProduct = (number: string) =>
  stack.finance<Record<string, unknown>>(`ReleasedProductsV2(dataAreaId='usmf',ItemNumber='${number}')`);

test('products: new and changed ones reach F&O once; one F&O refuses is listed, kept for the next run and retried', async () => {
  const suffix = randomUUID().slice(0, 6).toUpperCase();
  const [good, other, refused] = ['A', 'B', 'C'].map((letter) => `P-SYNC-${suffix}-${letter}`) as [
    string,
    string,
    string,
  ];
  await createProduct(stack, good, { price: 12 });
  await createProduct(stack, other, { price: 7 });
  const refusedId = await createProduct(stack, refused, { currency: 'XTS' });

  const first = await runSchedule(env.client, syncScheduleId('products'));
  expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
  expect(first.failed).toEqual([
    { key: refused, reason: expect.stringContaining('Currency XTS does not exist.') },
  ]);
  // Field Service learns which products F&O has: work orders using them pass the template's filter.
  expect(await maintainedInFinance([good, other, refused])).toEqual([true, true, false]);
  expect(await releasedProduct(good)).toMatchObject({
    ProductName: `Part ${good}`,
    FieldServiceProductType: 'Inventory',
    SalesPrice: 12,
    CurrencyCode: 'USD',
  });
  expect((await scheduleInput(env.client, syncScheduleId('products'))).retry).toEqual([refused]);

  // The product is fixed in Field Service, another one's price changes.
  const usd = await idOf(stack, 'transactioncurrencies', "isocurrencycode eq 'USD'", 'transactioncurrencyid');
  await stack.updateInDataverse(`products(${refusedId})`, {
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usd})`,
  });
  const otherId = await idOf(stack, 'products', `productnumber eq '${other}'`, 'productid');
  await stack.updateInDataverse(`products(${otherId})`, { price: 8.5 });

  const second = await runSchedule(env.client, syncScheduleId('products'));
  // The retried product is created first; when its change comes by, it is already there.
  expect(second).toMatchObject({ created: 1, updated: 1, unchanged: 1, failed: [] });
  expect(await releasedProduct(refused)).toMatchObject({ CurrencyCode: 'USD' });
  expect(await releasedProduct(other)).toMatchObject({ SalesPrice: 8.5 });
  expect((await scheduleInput(env.client, syncScheduleId('products'))).retry).toEqual([]);
  expect(await maintainedInFinance([good, other, refused])).toEqual([true, true, true]);

  // Marking the retried product changed it in Field Service: it is read once more, and nothing is written.
  const third = await runSchedule(env.client, syncScheduleId('products'));
  expect(third).toMatchObject({ created: 0, updated: 0, unchanged: 1, failed: [] });
  const fourth = await runSchedule(env.client, syncScheduleId('products'));
  expect(fourth).toMatchObject({ created: 0, updated: 0, unchanged: 0, failed: [] });
  const all = await stack.finance<{ value: unknown[] }>(
    `ReleasedProductsV2?$filter=startswith(ItemNumber,'P-SYNC-${suffix}')`,
  );
  expect(all.value).toHaveLength(3);
});

test('customers: a new Field Service account becomes an F&O customer, a renamed one is updated; vendors stay out', async () => {
  const number = `C-SYNC-${randomUUID().slice(0, 6).toUpperCase()}`;
  const id = await stack.createInDataverse('accounts', { name: 'Northwind Pumps', accountnumber: number });
  const vendor = `${number}-V`;
  await stack.createInDataverse('accounts', {
    name: 'Pump parts supplier',
    accountnumber: vendor,
    customertypecode: 11,
  });
  const first = await runSchedule(env.client, syncScheduleId('customers'));
  expect(first).toMatchObject({ created: 1, updated: 0, failed: [] });
  await expect(stack.finance(`CustomersV3(dataAreaId='usmf',CustomerAccount='${vendor}')`)).rejects.toThrow(
    '404',
  );

  await stack.updateInDataverse(`accounts(${id})`, { name: 'Northwind Pumps & Valves' });
  const second = await runSchedule(env.client, syncScheduleId('customers'));
  expect(second).toMatchObject({ created: 0, updated: 1, failed: [] });
  expect(await stack.finance(`CustomersV3(dataAreaId='usmf',CustomerAccount='${number}')`)).toMatchObject({
    OrganizationName: 'Northwind Pumps & Valves',
    CustomerGroupId: '10',
  });
});

/** The totals of the Field Service invoices with this number. */
async function recordedTotals(invoiceNumber: string): Promise<number[]> {
  const { value } = await stack.dataverse<{ value: { totalamount: number }[] }>(
    `invoices?$filter=invoicenumber eq '${invoiceNumber}'&$select=totalamount`,
  );
  return value.map((invoice) => invoice.totalamount);
}

describe('sales invoices: every invoice F&O posts is recorded, whatever its date (pinned: F&O dates have no time)', () => {
  const scheduleId = syncScheduleId('sales-invoices');

  test('an invoice posted in F&O is recorded in Field Service once; dated the day the schedule started, before it started', async () => {
    const invoiceNumber = await postSalesInvoice(stack, { invoiceDate: '2025-12-01' });

    const first = await runSchedule(env.client, scheduleId);
    expect(first).toMatchObject({ created: 1, failed: [] });
    const recorded = await stack.dataverse<{ value: { invoiceid: string; totalamount: number }[] }>(
      `invoices?$filter=invoicenumber eq '${invoiceNumber}'`,
    );
    expect(recorded.value).toEqual([expect.objectContaining({ totalamount: 90 })]);
    const details = await stack.dataverse<{ value: unknown[] }>(
      `invoicedetails?$filter=_invoiceid_value eq ${recorded.value[0]!.invoiceid}`,
    );
    expect(details.value).toHaveLength(1);

    const second = await runSchedule(env.client, scheduleId);
    expect(second).toMatchObject({ created: 0, failed: [] });
  });

  test("a work order's invoice is left to the work order's workflow", async () => {
    const workOrder = `WO-SYNC-${randomUUID().slice(0, 6).toUpperCase()}`;
    await stack.createInDataverse('msdyn_workorders', {
      msdyn_name: workOrder,
      msdyn_systemstatus: 690970003,
    });
    const invoiceNumber = await postSalesInvoice(stack, {
      invoiceDate: '2025-12-02',
      salesOrderNumber: workOrder,
      quantity: 1,
    });

    const run = await runSchedule(env.client, scheduleId);
    expect(run).toMatchObject({ created: 0, unchanged: 1, failed: [] });
    expect(await recordedTotals(invoiceNumber)).toEqual([]);
  });

  test('invoices posted at 23:59 and 00:01 UTC are both recorded, also when the next day is read first', async () => {
    const lateEvening = await postSalesInvoice(stack, { invoiceDate: '2026-03-05' }); // posted 23:59
    expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
    const afterMidnight = await postSalesInvoice(stack, { invoiceDate: '2026-03-06' }); // posted 00:01
    expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
    // Posted at 23:59 by a server whose posting committed after the 00:01 one had been read.
    const committedLate = await postSalesInvoice(stack, { invoiceDate: '2026-03-05' });
    expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
    for (const invoice of [lateEvening, afterMidnight, committedLate]) {
      expect(await recordedTotals(invoice)).toEqual([90]);
    }
  });

  test('an invoice of the newest date whose number sorts before one already read is recorded', async () => {
    const read = await postSalesInvoice(stack, { invoiceDate: '2026-03-06' });
    expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
    // A number from a block another server preallocated: smaller than the one read, same date.
    const smaller = await postSalesInvoice(stack, {
      invoiceDate: '2026-03-06',
      invoiceNumber: 'CIV-000000-PRE',
    });
    expect(smaller < read).toBe(true);
    expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
    expect(await recordedTotals(smaller)).toEqual([90]);
  });

  test('a backdated invoice is recorded; one dated before the lookback window is left to the retry list, which records it by key', async () => {
    const backdated = await postSalesInvoice(stack, { invoiceDate: '2026-02-05' }); // a month before 2026-03-06
    expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
    expect(await recordedTotals(backdated)).toEqual([90]);

    // More than the 62 days of the window before the newest date: the reconciliation's to find.
    const tooOld = await postSalesInvoice(stack, { invoiceDate: '2025-12-20' });
    expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 0, failed: [] });
    expect(await recordedTotals(tooOld)).toEqual([]);
    const input = await scheduleInput(env.client, scheduleId);
    await saveScheduleInput(env.client, scheduleId, { ...input, retry: [tooOld] } satisfies SyncInput);
    expect(await runSchedule(env.client, scheduleId)).toMatchObject({ created: 1, failed: [] });
    expect(await recordedTotals(tooOld)).toEqual([90]);
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
});

test('agreement invoices: the schedule starts the workflow of a new agreement invoice, once', async () => {
  const { invoiceNumber } = await createAgreementInvoice(stack, {
    customer: 'US-002',
    invoiceDate: '2026-11-01',
    lines: [{ product: 'S-3001', description: 'Quarterly maintenance', quantity: 1, price: 250 }],
  });
  const first = await runSchedule(env.client, syncScheduleId('agreement-invoices'));
  expect(first).toMatchObject({ created: 1, failed: [] });
  const handle = env.client.workflow.getHandle(agreementInvoiceWorkflowId(invoiceNumber));
  expect((await handle.describe()).status.name).toBe('RUNNING');

  const second = await runSchedule(env.client, syncScheduleId('agreement-invoices'));
  expect(second).toMatchObject({ created: 0, unchanged: 0, failed: [] });
  await handle.terminate('test done');
});

test('5,000 products sync in pages with memory that does not grow with the count', async () => {
  const suffix = randomUUID().slice(0, 6).toUpperCase();
  const numbers = (count: number, batch: string) =>
    Array.from({ length: count }, (_, i) => `P-BULK-${suffix}-${batch}-${String(i).padStart(5, '0')}`);
  const scheduleId = syncScheduleId('products');

  await createProducts(stack, numbers(1000, 'A'));
  const small = await heapGrowthDuring(() => runSchedule(env.client, scheduleId));
  await createProducts(stack, numbers(5000, 'B'));
  const large = await heapGrowthDuring(() => runSchedule(env.client, scheduleId));

  console.log(
    `master-data sync, growth of the live heap (worker, sandboxes and test in one process): ` +
      `${small.growthMb.toFixed(1)} MB for 1,000 products, ${large.growthMb.toFixed(1)} MB for 5,000`,
  );
  // Every product reached F&O. (Not asserted through the run's counts: a page retried after throttling, as on
  // a loaded machine, finds the products it wrote before and counts them unchanged.)
  const inFinance = async (batch: string) =>
    (
      await stack.finance<{ '@odata.count': number }>(
        `ReleasedProductsV2?$filter=startswith(ItemNumber,'P-BULK-${suffix}-${batch}-')&$count=true&$top=1`,
      )
    )['@odata.count'];
  expect(small.result).toMatchObject({ failed: [] });
  expect(await inFinance('A')).toBe(1000);
  expect(large.result).toMatchObject({ failed: [] });
  expect(await inFinance('B')).toBe(5000);
  // Five times the records may not take five times the memory: one page is held at a time.
  expect(large.growthMb).toBeLessThan(small.growthMb * 2 + 16);
  const first = numbers(5000, 'B')[0]!;
  expect(await releasedProduct(first)).toMatchObject({ ProductName: `Bulk part ${first}` });
}, 300_000);

test('a paused schedule does not sync; resumed, it catches up from its watermark without duplicates', async () => {
  const scheduleId = syncScheduleId('products');
  const schedule = env.client.schedule.getHandle(scheduleId);
  const project = loadMappingProject(stack.config.mappingProject, connectorCatalog());
  const every = (interval: string) =>
    applySyncSchedules(env.client, stack.config, project, {
      every: interval,
      since: new Date(),
      only: ['products'],
    });
  await schedule.pause('test: paused by an operator');
  await every('1 second');

  const suffix = randomUUID().slice(0, 6).toUpperCase();
  const numbers = ['A', 'B', 'C'].map((letter) => `P-PAUSE-${suffix}-${letter}`);
  for (const number of numbers) await createProduct(stack, number);
  const before = (await schedule.describe()).info.numActionsTaken;
  await delay(3_000);
  expect((await schedule.describe()).info.numActionsTaken).toBe(before);
  await expect(releasedProduct(numbers[0]!)).rejects.toThrow('404');

  await schedule.unpause('test: resumed');
  const caughtUp = await resultOfRunAfter<MasterDataSyncResult>(env.client, scheduleId, before);
  await schedule.pause('test: done');
  await every('365 days');
  expect(caughtUp).toMatchObject({ created: 3, failed: [] });
  const synced = await stack.finance<{ value: unknown[] }>(
    `ReleasedProductsV2?$filter=startswith(ItemNumber,'P-PAUSE-${suffix}')`,
  );
  expect(synced.value).toHaveLength(3);
});

describe('when F&O masters products (Microsoft’s direction)', () => {
  let fnoStack: Stack;
  let fnoWorker: TestWorker;
  const scheduleId = syncScheduleId('products');

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fsfo-project-'));
    const projectFile = join(dir, 'fno-products.yaml');
    // The standard project with Microsoft's products template in place of this product's default.
    const standard = parse(
      readFileSync(join(__dirname, '../../mappings/templates/standard.yaml'), 'utf8'),
    ) as {
      extends: string[];
    };
    const templates = standard.extends.map((name) =>
      name === 'field-service-products-to-finance' ? 'finance-products-to-field-service' : name,
    );
    writeFileSync(projectFile, stringify({ name: 'fno-masters-products', extends: templates }));
    fnoStack = await startStack('master-data-fno', {}, { MAPPING_PROJECT: projectFile });
    fnoWorker = await inProcessWorker(env, fnoStack, workflowBundle);
    await env.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
    const project = loadMappingProject(fnoStack.config.mappingProject, connectorCatalog());
    await applySyncSchedules(env.client, fnoStack.config, project, {
      every: '365 days',
      paused: true, // the test triggers each run
      since: new Date(),
      only: ['products'],
    });
  });
  afterAll(async () => {
    await fnoWorker?.stop();
    await fnoStack?.close();
  });

  test('released products reach Field Service in a full pass by key; a second pass writes nothing', async () => {
    const number = `P-FNO-${randomUUID().slice(0, 6).toUpperCase()}`;
    await fnoStack.createInFinance('ReleasedProductsV2', {
      dataAreaId: 'usmf',
      ItemNumber: number,
      ProductNumber: number,
      ProductName: 'Pump seal kit',
      FieldServiceProductType: 'Inventory',
      SalesUnitSymbol: 'ea',
      SalesPrice: 33,
      CurrencyCode: 'USD',
    });

    const first = await runSchedule(env.client, scheduleId);
    expect(first.failed).toEqual([]);
    expect(first.created).toBeGreaterThanOrEqual(1);
    const { value } = await fnoStack.dataverse<{ value: Record<string, unknown>[] }>(
      `products?$filter=productnumber eq '${number}'&$expand=defaultuomscheduleid($select=name),defaultuomid($select=name)`,
    );
    expect(value).toEqual([
      expect.objectContaining({
        name: 'Pump seal kit',
        price: 33,
        msdyn_fieldserviceproducttype: 690970000,
        msdynce_isexternallymaintained: true,
        defaultuomscheduleid: expect.objectContaining({ name: 'Default unit' }),
        defaultuomid: expect.objectContaining({ name: 'Each' }),
      }),
    ]);

    const second = await runSchedule(env.client, scheduleId);
    expect(second).toMatchObject({ created: 0, updated: 0, failed: [] });
    expect(second.unchanged).toBe(first.created + first.updated + first.unchanged);
  });
});
