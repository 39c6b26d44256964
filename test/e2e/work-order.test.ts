import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { setTimeout as delay } from 'node:timers/promises';
import { startWorkOrder, workOrderWorkflowId } from '../../client/work-order-starter';
import { createWorker } from '../../worker/worker';
import type { workOrderInvoicing } from '../../workflows';
import {
  approveInvoicingUpdate,
  invoicePostedSignal,
  statusQuery,
} from '../../workflows/work-order/messages';
import type { Stage } from '../../workflows/work-order/stages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';

// Worker + Temporal + the Dynamics 365 sandboxes, over real HTTP.
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
});
beforeEach(async () => {
  stack = await startStack('e2e-work-order');
  worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    config: stack.config,
    workflowBundle,
  });
  running = worker.run();
});
afterEach(async () => {
  worker.shutdown();
  await running;
  await stack.close();
});
afterAll(() => env?.teardown());

type Handle = WorkflowHandle<typeof workOrderInvoicing>;

async function start(workOrderNumber: string): Promise<Handle> {
  await startWorkOrder(env.client, stack.config, workOrderNumber);
  return env.client.workflow.getHandle(workOrderWorkflowId(workOrderNumber));
}

async function waitForStage(handle: Handle, stage: Stage, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await handle.query(statusQuery);
    if (state.stage === stage) return;
    if (Date.now() > deadline)
      throw new Error(`still ${state.stage} (${state.waitingFor}), expected ${stage}`);
    await delay(200);
  }
}

interface SalesLine {
  LineCreationSequenceNumber: number;
  ProductNumber: string;
  OrderedSalesQuantity: number;
  SalesPrice: number;
}

async function salesOrderLines(order: string): Promise<SalesLine[]> {
  const { value } = await stack.finance<{ value: SalesLine[] }>(
    `CDSSalesOrderLines?$filter=SalesOrderNumber eq '${order}'&$orderby=LineCreationSequenceNumber`,
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
    const stats = (await (await stack.control(service, 'stats', undefined, 'GET')).json()) as {
      requests: { entitySet: string; count: number }[];
    };
    requests += stats.requests
      .filter((r) => !['uoms', 'transactioncurrencies'].includes(r.entitySet))
      .reduce((sum, r) => sum + r.count, 0);
  }
  expect(requests).toBeLessThanOrEqual(6);

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

  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
  await waitForStage(handle, 'AwaitingInvoice');
  expect(await stack.finance(headerPath)).toMatchObject({ ExternalWorkOrderStatus: 'ClosedPosted' });

  const posted = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
  expect(posted.status).toBe(200);
  const invoiceNumber = ((await posted.json()) as { InvoiceNumber: string }).InvoiceNumber;
  await handle.signal(invoicePostedSignal, { invoiceNumber, legalEntity: 'usmf' });
  await waitForStage(handle, 'Invoiced');
  const result = await handle.result();

  expect(result).toMatchObject({
    stage: 'Invoiced',
    approval: { approvedBy: 'dana@contoso.com' },
    invoice: { invoiceNumber, salesOrderNumber: number },
  });
  const invoices = await stack.dataverse<{ value: { invoiceid: string }[] }>(
    `invoices?$filter=invoicenumber eq '${invoiceNumber}'&$select=invoicenumber`,
  );
  expect(invoices.value).toHaveLength(1);
  expect(invoices.value[0]!.invoiceid).toBe(result.invoice!.fieldServiceInvoiceId);
  const details = await stack.dataverse<{ value: unknown[] }>(
    `invoicedetails?$filter=_invoiceid_value eq ${invoices.value[0]!.invoiceid}`,
  );
  expect(details.value).toHaveLength(3);
  const workOrder = await stack.dataverse(
    `msdyn_workorders(msdyn_name='${number}')?$select=msdyn_systemstatus,msdynce_invoicenumber`,
  );
  expect(workOrder).toMatchObject({
    msdyn_systemstatus: SystemStatus.Posted,
    msdynce_invoicenumber: invoiceNumber,
  });
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
  async function expectParked(number: string, reason: RegExp): Promise<void> {
    const handle = await start(number);
    await waitForStage(handle, 'NeedsAttention');
    expect((await handle.query(statusQuery)).attention?.reason).toMatch(reason);
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
    const number = await createWorkOrder(stack, {
      status: SystemStatus.Completed,
      products: [{ product: 'P-1000', used: true, estimate: 1, quantity: 1, price: 45 }],
    });
    const { value } = await stack.dataverse<{ value: { productid: string }[] }>(
      "products?$filter=productnumber eq 'P-1000'&$select=productid",
    );
    await stack.deleteInDataverse(`products(${value[0]!.productid})`);
    await expectParked(number, /no product that exists in Field Service/);
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
    await expectParked(number, /Currency XYZ does not exist/);
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
