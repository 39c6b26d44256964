import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { TEMPLATES_DIR } from '../../mappings/project/loader';
import { createWorker } from '../../worker/worker';
import type { workOrderInvoicing } from '../../workflows';
import {
  approveInvoicingUpdate,
  invoicePostedSignal,
  rejectInvoicingUpdate,
  retryUpdate,
  statusQuery,
} from '../../workflows/work-order/messages';
import { createProduct } from '../bad-inputs/support';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { waitForStage } from '../support/work-order-stage';

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
  stack = await startStack('e2e-work-order');
  worker = await inProcessWorker(env, stack, workflowBundle);
});
afterEach(async () => {
  await worker.stop();
  await stack.close();
});
afterAll(() => env?.teardown());

type Handle = WorkflowHandle<typeof workOrderInvoicing>;

async function start(workOrderNumber: string): Promise<Handle> {
  await startWorkOrder(env.client, stack.config, workOrderNumber);
  return env.client.workflow.getHandle(workOrderWorkflowId(workOrderNumber));
}

async function requestsTo(service: 'dataverse' | 'finance') {
  const stats = (await (await stack.control(service, 'stats', undefined, 'GET')).json()) as {
    requests: { entitySet: string; method: string; count: number }[];
  };
  return stats.requests;
}

interface SalesLine {
  LineCreationSequenceNumber: number;
  ProductNumber: string;
  OrderedSalesQuantity: number;
  SalesPrice: number;
}

async function salesOrderLines(order: string): Promise<SalesLine[]> {
  const { value } = await stack.finance<{ value: SalesLine[] }>(
    `CDSSalesOrderLines?$filter=SalesOrderNumber eq '${encodeURIComponent(order.replaceAll("'", "''"))}'&$orderby=LineCreationSequenceNumber`,
  );
  return value.map(({ LineCreationSequenceNumber, ProductNumber, OrderedSalesQuantity, SalesPrice }) => ({
    LineCreationSequenceNumber,
    ProductNumber,
    OrderedSalesQuantity,
    SalesPrice,
  }));
}

test('happy path: a work order becomes a sales order per the template, is approved, invoiced in F&O and recorded in Field Service', async () => {
  const number = await createWorkOrder(stack, {
    status: SystemStatus.InProgress,
    customer: 'US-003',
    products: [
      { product: 'P-1000', used: true, allocated: true, estimate: 2, quantity: 3, price: 45 },
      { product: 'P-2000', allocated: false, estimate: 5, quantity: 0, price: 12 },
    ],
    services: [{ service: 'S-3000', used: true, estimateMinutes: 60, minutes: 90, price: 80 }],
  });
  for (const service of ['dataverse', 'finance'] as const)
    await stack.control(service, 'stats', undefined, 'DELETE');
  const handle = await start(number);
  await waitForStage(handle, 'AwaitingApproval');
  // Units and currencies are read once per worker and cached; everything else is per work order.
  let requests = 0;
  for (const service of ['dataverse', 'finance'] as const) {
    requests += (await requestsTo(service))
      .filter((r) => !['uoms', 'transactioncurrencies'].includes(r.entitySet))
      .reduce((sum, r) => sum + r.count, 0);
  }
  expect(requests).toBeLessThanOrEqual(6);

  // A duplicate start (watcher, webhook and operator may all start it): the work order is read, F&O untouched.
  for (const service of ['dataverse', 'finance'] as const)
    await stack.control(service, 'stats', undefined, 'DELETE');
  await start(number);
  const deadline = Date.now() + 30_000;
  while (!(await requestsTo('dataverse')).some((r) => r.entitySet === 'msdyn_workorders')) {
    if (Date.now() > deadline) throw new Error('the duplicate start was never handled');
    await delay(200);
  }
  await waitForStage(handle, 'AwaitingApproval');
  expect(await requestsTo('finance')).toEqual([]);

  // In progress: P-1000 used 3; P-2000 estimated and not allocated sends its used 0; S-3000 used 90 min = 1.5 h.
  expect(await salesOrderLines(number)).toEqual([
    expect.objectContaining({
      LineCreationSequenceNumber: -1,
      ProductNumber: 'S-3000',
      OrderedSalesQuantity: 1.5,
    }),
    expect.objectContaining({
      LineCreationSequenceNumber: 1,
      ProductNumber: 'P-1000',
      OrderedSalesQuantity: 3,
    }),
    expect.objectContaining({
      LineCreationSequenceNumber: 2,
      ProductNumber: 'P-2000',
      OrderedSalesQuantity: 0,
    }),
  ]);
  const headerPath = `CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='${number}')`;
  expect(await stack.finance(headerPath)).toMatchObject({
    OrderingCustomerAccountNumber: 'US-003',
    ExternalWorkOrderStatus: 'OpenInProgress',
  });
  expect((await handle.query(statusQuery)).salesOrder).toMatchObject({ totalAmount: 255, lineCount: 3 });
  // What Temporal Web shows: the summary set at start and the current details of the stage.
  const description = await handle.describe();
  expect(await description.staticSummary()).toBe(`Work order ${number} → F&O sales order in usmf`);
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toMatch(/^\*\*AwaitingApproval\*\*: waiting for an operator to approve/);
  expect(metadata.currentDetails).toMatch(/\*\*To do\*\*: .*`approveInvoicing`.*`rejectInvoicing`/);
  // The workflow's Details: the operator's commands for this work order.
  expect(await description.staticDetails()).toContain(`npx fsfo work-order approve ${number} --by <you>`);

  const linesBeforeApproval = await salesOrderLines(number);
  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
  await waitForStage(handle, 'AwaitingInvoice');
  expect(await stack.finance(headerPath)).toMatchObject({ ExternalWorkOrderStatus: 'ClosedPosted' });
  // Closed-Posted sends used values only; every line here was already at its used value.
  expect(await salesOrderLines(number)).toEqual(linesBeforeApproval);

  const posted = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
  expect(posted.status).toBe(200);
  const invoiceNumber = ((await posted.json()) as { InvoiceNumber: string }).InvoiceNumber;
  await handle.signal(invoicePostedSignal, { invoiceNumber, legalEntity: 'usmf' });
  await waitForStage(handle, 'Invoiced');
  const result = await handle.result();

  expect(result).toMatchObject({
    stage: 'Invoiced',
    approval: { approvedBy: 'dana@contoso.com' },
    invoice: { invoiceNumber, salesOrderNumber: number, totalAmount: 255, currency: 'USD' },
  });
  const invoices = await stack.dataverse<{ value: { invoiceid: string; _customerid_value: string }[] }>(
    `invoices?$filter=invoicenumber eq '${invoiceNumber}'&$select=invoicenumber,_customerid_value`,
  );
  expect(invoices.value).toHaveLength(1);
  expect(invoices.value[0]!.invoiceid).toBe(result.invoice!.fieldServiceInvoiceId);
  const billingAccount = await stack.dataverse<{ value: { accountid: string }[] }>(
    "accounts?$filter=accountnumber eq 'US-003'&$select=accountid",
  );
  expect(invoices.value[0]!._customerid_value).toBe(billingAccount.value[0]!.accountid);
  const details = await stack.dataverse<{ value: { _productid_value: string; quantity: number }[] }>(
    `invoicedetails?$filter=_invoiceid_value eq ${invoices.value[0]!.invoiceid}&$select=_productid_value,quantity`,
  );
  const products = await stack.dataverse<{ value: { productid: string; productnumber: string }[] }>(
    "products?$filter=productnumber eq 'P-1000' or productnumber eq 'P-2000' or productnumber eq 'S-3000'&$select=productid,productnumber",
  );
  const productNumber = new Map(products.value.map((p) => [p.productid, p.productnumber]));
  expect(details.value.map((d) => [productNumber.get(d._productid_value), d.quantity]).sort()).toEqual([
    ['P-1000', 3],
    ['P-2000', 0],
    ['S-3000', 1.5],
  ]);
  const workOrder = await stack.dataverse(
    `msdyn_workorders(msdyn_name='${number}')?$select=msdyn_systemstatus,msdynce_invoicenumber`,
  );
  expect(workOrder).toMatchObject({
    msdyn_systemstatus: SystemStatus.Posted,
    msdynce_invoicenumber: invoiceNumber,
  });
});

/** A line the technician adds in Field Service, as the work order form writes it. */
async function addUsedLine(
  number: string,
  line: {
    entitySet: 'msdyn_workorderproducts' | 'msdyn_workorderservices';
    lineOrder: number;
    product: string;
  },
  quantity: number,
  price: number,
): Promise<void> {
  const isService = line.entitySet === 'msdyn_workorderservices';
  const { value } = await stack.dataverse<{ value: { uomid: string }[] }>(
    `uoms?$filter=msdyn_symbol eq '${isService ? 'hr' : 'ea'}'`,
  );
  await stack.createInDataverse(line.entitySet, {
    msdyn_name: `${number}-added-${line.lineOrder}`,
    msdyn_lineorder: line.lineOrder,
    msdyn_linestatus: 690970001, // Used
    ...(isService
      ? { msdyn_estimateduration: quantity, msdyn_duration: quantity }
      : { msdyn_estimatequantity: quantity, msdyn_quantity: quantity }),
    msdyn_estimateunitamount: price,
    msdyn_unitamount: price,
    'msdyn_workorder@odata.bind': `/msdyn_workorders(msdyn_name='${number}')`,
    [`${isService ? 'msdyn_service' : 'msdyn_product'}@odata.bind`]: `/products(productnumber='${line.product}')`,
    'msdyn_unit@odata.bind': `/uoms(${value[0]!.uomid})`,
  });
}

async function waitForSync(handle: Handle, syncedBefore: string | undefined): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await handle.query(statusQuery)).syncedVersion === syncedBefore) {
    if (Date.now() > deadline) throw new Error('the change was never synced');
    await delay(200);
  }
  await waitForStage(handle, 'AwaitingApproval');
}

test('the sales order follows the work order until approval: used quantities, added lines, status; rejected, changed, approved', async () => {
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Scheduled,
    customer: 'US-002',
    products: [{ product: 'P-1000', allocated: true, estimate: 2, quantity: 0, price: 45 }],
  });
  const handle = await start(number);
  await waitForStage(handle, 'AwaitingApproval');
  const headerPath = `CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='${number}')`;
  expect(await stack.finance(headerPath)).toMatchObject({ ExternalWorkOrderStatus: 'OpenScheduled' });
  expect(await salesOrderLines(number)).toEqual([
    { LineCreationSequenceNumber: 1, ProductNumber: 'P-1000', OrderedSalesQuantity: 2, SalesPrice: 45 },
  ]);

  // The technician records 3 used, adds a part and completes the work order; the watcher reports it.
  const { value: firstLine } = await stack.dataverse<{ value: { msdyn_workorderproductid: string }[] }>(
    `msdyn_workorderproducts?$filter=msdyn_name eq '${number}-1'&$select=msdyn_workorderproductid`,
  );
  await stack.updateInDataverse(`msdyn_workorderproducts(${firstLine[0]!.msdyn_workorderproductid})`, {
    msdyn_linestatus: 690970001,
    msdyn_quantity: 3,
  });
  await addUsedLine(number, { entitySet: 'msdyn_workorderproducts', lineOrder: 2, product: 'P-1001' }, 1, 99);
  await stack.updateInDataverse(`msdyn_workorders(msdyn_name='${number}')`, {
    msdyn_systemstatus: SystemStatus.Completed,
  });
  let synced = (await handle.query(statusQuery)).syncedVersion;
  await start(number);
  await waitForSync(handle, synced);
  expect(await stack.finance(headerPath)).toMatchObject({ ExternalWorkOrderStatus: 'OpenCompleted' });
  expect(await salesOrderLines(number)).toEqual([
    { LineCreationSequenceNumber: 1, ProductNumber: 'P-1000', OrderedSalesQuantity: 3, SalesPrice: 45 },
    { LineCreationSequenceNumber: 2, ProductNumber: 'P-1001', OrderedSalesQuantity: 1, SalesPrice: 99 },
  ]);
  expect((await handle.query(statusQuery)).salesOrder).toMatchObject({ totalAmount: 234, lineCount: 2 });

  // Rejected: the work order goes back to the technician, who adds the labour and completes it again.
  await handle.executeUpdate(rejectInvoicingUpdate, {
    args: [{ rejectedBy: 'dana', reason: 'labour missing' }],
  });
  await waitForStage(handle, 'Rejected');
  const workOrderPath = `msdyn_workorders(msdyn_name='${number}')`;
  const deadline = Date.now() + 30_000;
  while (
    (await stack.dataverse<{ msdyn_systemstatus: number }>(workOrderPath)).msdyn_systemstatus !==
    SystemStatus.InProgress
  ) {
    if (Date.now() > deadline) throw new Error('the work order never went back to In Progress');
    await delay(200);
  }
  await start(number); // the watcher reports the workflow's own change: nothing to sync yet
  await delay(1000);
  expect((await handle.query(statusQuery)).stage).toBe('Rejected');

  await addUsedLine(
    number,
    { entitySet: 'msdyn_workorderservices', lineOrder: 1, product: 'S-3000' },
    60,
    80,
  );
  await stack.updateInDataverse(workOrderPath, { msdyn_systemstatus: SystemStatus.Completed });
  synced = (await handle.query(statusQuery)).syncedVersion;
  await start(number);
  await waitForSync(handle, synced);
  expect(await salesOrderLines(number)).toEqual([
    { LineCreationSequenceNumber: -1, ProductNumber: 'S-3000', OrderedSalesQuantity: 1, SalesPrice: 80 },
    { LineCreationSequenceNumber: 1, ProductNumber: 'P-1000', OrderedSalesQuantity: 3, SalesPrice: 45 },
    { LineCreationSequenceNumber: 2, ProductNumber: 'P-1001', OrderedSalesQuantity: 1, SalesPrice: 99 },
  ]);

  await handle.executeUpdate(approveInvoicingUpdate, {
    args: [{ approvedBy: 'dana', comment: 'labour added' }],
  });
  await waitForStage(handle, 'AwaitingInvoice');
  expect(await stack.finance(headerPath)).toMatchObject({ ExternalWorkOrderStatus: 'ClosedPosted' });
  expect(await salesOrderLines(number)).toHaveLength(3);
  expect(await handle.query(statusQuery)).toMatchObject({
    salesOrder: { totalAmount: 314, lineCount: 3 },
    approval: { approvedBy: 'dana', comment: 'labour added' },
    rejections: [{ rejectedBy: 'dana', reason: 'labour missing' }],
  });
  await handle.terminate('test done');
});

test('a work order the template does not sync parks in NeedsAttention with the reason, and writes nothing to F&O', async () => {
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Unscheduled,
    products: [{ product: 'P-1000', estimate: 1, quantity: 0, price: 45 }],
  });
  const handle = await start(number);
  await waitForStage(handle, 'NeedsAttention');
  expect((await handle.query(statusQuery)).attention?.reason).toContain(`${number} does not sync`);
  await expect(
    stack.finance(`CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='${number}')`),
  ).rejects.toThrow(/404/);
  await handle.terminate('test done');
});

describe('bad inputs end in NeedsAttention with a readable reason and nothing half-written in F&O', () => {
  async function expectParked(number: string, reason: RegExp, stage?: string): Promise<void> {
    const handle = await start(number);
    await waitForStage(handle, 'NeedsAttention');
    const { attention } = await handle.query(statusQuery);
    expect(attention?.reason).toMatch(reason);
    if (stage !== undefined) expect(attention?.stage).toBe(stage);
    const orders = await stack.finance<{ value: unknown[] }>(
      `CDSSalesOrderHeaders?$filter=SalesOrderNumber eq '${number.replaceAll("'", "''")}'`,
    );
    expect(orders.value).toEqual([]);
    await handle.terminate('test done');
  }

  test('no service account', async () => {
    const number = await createWorkOrder(stack, {
      status: SystemStatus.Completed,
      customer: null,
      products: [{ product: 'P-1000', used: true, estimate: 1, quantity: 1, price: 45 }],
    });
    await expectParked(number, /no service account/);
  });

  test('a product missing in both systems', async () => {
    // A product F&O never had, deleted in Field Service after the technician put it on the work order.
    const { id, number: product } = await createProduct(stack, true);
    const number = await createWorkOrder(stack, {
      status: SystemStatus.Completed,
      products: [{ product: product!, used: true, estimate: 1, quantity: 1, price: 10 }],
    });
    await stack.deleteInDataverse(`products(${id})`);
    await expectParked(number, /no product that exists in Field Service/);
    await expect(
      stack.finance(`ReleasedProductsV2(dataAreaId='usmf',ItemNumber='${product}')`),
    ).rejects.toThrow(/404/);
  });

  test('a negative quantity', async () => {
    const number = await createWorkOrder(stack, {
      status: SystemStatus.Completed,
      products: [{ product: 'P-1000', used: true, estimate: 1, quantity: -2, price: 45 }],
    });
    await expectParked(number, /line 1 has a negative quantity \(-2\)/);
  });

  test('a currency F&O does not know', async () => {
    const xyz = await stack.createInDataverse('transactioncurrencies', {
      currencyname: 'Test credits',
      isocurrencycode: 'XYZ',
    });
    const number = await createWorkOrder(stack, {
      status: SystemStatus.Completed,
      products: [{ product: 'P-1000', used: true, estimate: 1, quantity: 1, price: 45 }],
      currencyId: xyz,
    });
    await expectParked(number, /Currency XYZ does not exist/, 'CreatingSalesOrder'); // F&O refused the order
  });

  test('a work order number with a quote neither breaks nor widens the filter', async () => {
    const number = await createWorkOrder(stack, {
      number: "WO-O'BRIEN-1",
      status: SystemStatus.Unscheduled,
      products: [{ product: 'P-1000', estimate: 1, quantity: 0, price: 45 }],
    });
    await expectParked(number, /WO-O'BRIEN-1 does not sync/);
  });
});

test('products mastered in F&O (the project syncs them F&O → Field Service): one not released there parks the work order, and F&O gets nothing', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'fsfo-project-')), 'finance-masters-products.yaml');
  // The standard project with the products template turned round.
  const standard = readFileSync(join(TEMPLATES_DIR, 'standard.yaml'), 'utf8');
  writeFileSync(
    file,
    standard
      .replace(/^name: standard$/m, 'name: finance-masters-products')
      .replace(/^ {2}- field-service-products-to-finance$/m, '  - finance-products-to-field-service'),
  );
  const config = {
    ...stack.config,
    mappingProject: file,
    temporal: { ...stack.config.temporal, taskQueue: `${stack.config.temporal.taskQueue}-fno-products` },
  };
  const financeMasters = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    config,
    workflowBundle,
  });
  await financeMasters.runUntil(async () => {
    const { number: product } = await createProduct(stack, true);
    const number = await createWorkOrder(stack, {
      status: SystemStatus.Completed,
      products: [
        { product: 'P-1000', used: true, estimate: 1, quantity: 1, price: 45 },
        { product: product!, used: true, estimate: 1, quantity: 1, price: 10 },
      ],
    });
    await startWorkOrder(env.client, config, number);
    const handle: Handle = env.client.workflow.getHandle(workOrderWorkflowId(number));
    await waitForStage(handle, 'NeedsAttention');
    expect((await handle.query(statusQuery)).attention).toMatchObject({
      stage: 'SyncingMasterData',
      reason: `Product ${product} not released in F&O company usmf: release it in F&O (this mapping project masters products there), then retry`,
    });
    await expect(
      stack.finance(`ReleasedProductsV2(dataAreaId='usmf',ItemNumber='${product}')`),
    ).rejects.toThrow(/404/);
    const orders = await stack.finance<{ value: unknown[] }>(
      `CDSSalesOrderHeaders?$filter=SalesOrderNumber eq '${number}'`,
    );
    expect(orders.value).toEqual([]);
    await handle.terminate('test done');
  });
});

test('parked for a negative quantity, fixed in Field Service, retried: the order carries the fixed quantity', async () => {
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    products: [{ product: 'P-1000', used: true, estimate: 2, quantity: -2, price: 45 }],
  });
  const handle = await start(number);
  await waitForStage(handle, 'NeedsAttention');
  expect((await handle.query(statusQuery)).attention?.reason).toMatch(/line 1 has a negative quantity/);

  const { value } = await stack.dataverse<{ value: { msdyn_workorderproductid: string }[] }>(
    `msdyn_workorderproducts?$filter=msdyn_name eq '${number}-1'&$select=msdyn_workorderproductid`,
  );
  await stack.updateInDataverse(`msdyn_workorderproducts(${value[0]!.msdyn_workorderproductid})`, {
    msdyn_quantity: 2,
  });
  await handle.executeUpdate(retryUpdate, { args: [{ requestedBy: 'dana' }] });
  await waitForStage(handle, 'AwaitingApproval');
  expect((await handle.query(statusQuery)).attention).toBeUndefined();
  expect(await salesOrderLines(number)).toEqual([
    { LineCreationSequenceNumber: 1, ProductNumber: 'P-1000', OrderedSalesQuantity: 2, SalesPrice: 45 },
  ]);
  await handle.terminate('test done');
});

test('master data: a missing customer and a missing product are created in F&O, in the right company, before the order', async () => {
  const suffix = Date.now().toString(36).toUpperCase();
  const [unit, usd] = await Promise.all([
    stack.dataverse<{ value: { uomid: string }[] }>("uoms?$filter=msdyn_symbol eq 'ea'"),
    stack.dataverse<{ value: { transactioncurrencyid: string }[] }>(
      "transactioncurrencies?$filter=isocurrencycode eq 'USD'",
    ),
  ]);
  await stack.createInDataverse('products', {
    productnumber: `P-NEW-${suffix}`,
    name: 'Filter cartridge',
    msdyn_fieldserviceproducttype: 690970000,
    price: 19.5,
    msdynce_isexternallymaintained: true,
    'defaultuomid@odata.bind': `/uoms(${unit.value[0]!.uomid})`,
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usd.value[0]!.transactioncurrencyid})`,
  });
  await stack.createInDataverse('accounts', { name: 'Fabrikam Labs', accountnumber: `FAB-${suffix}` });
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    customer: `FAB-${suffix}`,
    products: [{ product: `P-NEW-${suffix}`, used: true, estimate: 4, quantity: 4, price: 19.5 }],
  });
  const handle = await start(number);
  await waitForStage(handle, 'AwaitingApproval');

  expect(await stack.finance(`CustomersV3(dataAreaId='usmf',CustomerAccount='FAB-${suffix}')`)).toMatchObject(
    {
      OrganizationName: 'Fabrikam Labs',
      CustomerGroupId: '10',
    },
  );
  expect(
    await stack.finance(`ReleasedProductsV2(dataAreaId='usmf',ItemNumber='P-NEW-${suffix}')`),
  ).toMatchObject({
    ProductName: 'Filter cartridge',
    FieldServiceProductType: 'Inventory',
  });
  expect(await salesOrderLines(number)).toEqual([
    expect.objectContaining({ ProductNumber: `P-NEW-${suffix}`, OrderedSalesQuantity: 4, SalesPrice: 19.5 }),
  ]);
  await handle.terminate('test done');
});

test('a work order number with a quote is carried through every key and filter: order, invoice, work order marked', async () => {
  const number = await createWorkOrder(stack, {
    number: `WO-O'NEIL-${Date.now().toString(36).toUpperCase()}`,
    status: SystemStatus.Completed,
    products: [{ product: 'P-1000', used: true, estimate: 1, quantity: 1, price: 45 }],
  });
  const quoted = encodeURIComponent(number.replaceAll("'", "''"));
  const handle = await start(number);
  await waitForStage(handle, 'AwaitingApproval');
  expect(await salesOrderLines(number)).toEqual([
    { LineCreationSequenceNumber: 1, ProductNumber: 'P-1000', OrderedSalesQuantity: 1, SalesPrice: 45 },
  ]);
  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana' }] });
  await waitForStage(handle, 'AwaitingInvoice');
  const posted = await stack.control(
    'finance',
    `sales-orders/usmf/${encodeURIComponent(number)}/post-invoice`,
  );
  expect(posted.status).toBe(200);
  const { InvoiceNumber: invoiceNumber } = (await posted.json()) as { InvoiceNumber: string };
  await handle.signal(invoicePostedSignal, { invoiceNumber });
  expect(await handle.result()).toMatchObject({ stage: 'Invoiced', invoice: { invoiceNumber } });
  expect(
    await stack.dataverse(`msdyn_workorders(msdyn_name='${quoted}')?$select=msdynce_invoicenumber`),
  ).toMatchObject({ msdynce_invoicenumber: invoiceNumber });
});
