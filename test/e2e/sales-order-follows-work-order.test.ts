import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { setTimeout as delay } from 'node:timers/promises';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import type { workOrderInvoicing } from '../../workflows';
import {
  approveInvoicingUpdate,
  invoicePostedSignal,
  statusQuery,
} from '../../workflows/work-order/messages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { waitForStage } from '../support/work-order-stage';
import { inProcessWorker, type TestWorker } from '../support/workers';

// The F&O sales order never diverges from the work order: worker + Temporal + the Dynamics 365 sandboxes.
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
});
beforeEach(async () => {
  // A bound per order this file's orders stay under; the other two at their defaults.
  stack = await startStack('e2e-sales-order', {}, { SALES_ORDER_MAX_ORDER_AMOUNT: '5000' });
  worker = await inProcessWorker(env, stack, workflowBundle);
});
afterEach(async () => {
  await worker.stop();
  await stack.close();
});
afterAll(() => env?.teardown());

type Handle = WorkflowHandle<typeof workOrderInvoicing>;

/** Starts the work order's workflow, or reports a change to the running one, as the watcher does. */
async function report(workOrderNumber: string, config = stack.config): Promise<Handle> {
  await startWorkOrder(env.client, config, workOrderNumber);
  return env.client.workflow.getHandle(workOrderWorkflowId(workOrderNumber));
}

const quoted = (text: string) => encodeURIComponent(text.replaceAll("'", "''"));

async function salesOrderLines(order: string): Promise<Record<string, unknown>[]> {
  const { value } = await stack.finance<{ value: Record<string, unknown>[] }>(
    `CDSSalesOrderLines?$filter=SalesOrderNumber eq '${quoted(order)}'&$orderby=LineCreationSequenceNumber`,
  );
  return value;
}

const linesAsNumbers = async (order: string) =>
  (await salesOrderLines(order)).map((line) => [
    line.LineCreationSequenceNumber,
    line.ProductNumber,
    line.OrderedSalesQuantity,
    line.LineAmount,
  ]);

const salesOrderHeader = (order: string) =>
  stack.finance(`CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='${quoted(order)}')`);

async function workOrderLineId(workOrderNumber: string, line: number): Promise<string> {
  const { value } = await stack.dataverse<{ value: { msdyn_workorderproductid: string }[] }>(
    `msdyn_workorderproducts?$filter=msdyn_name eq '${workOrderNumber}-${line}'&$select=msdyn_workorderproductid`,
  );
  return value[0]!.msdyn_workorderproductid;
}

/** Waits until the workflow has synced a version other than `before` and awaits approval again. */
async function waitForResync(handle: Handle, before: string | undefined): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await handle.query(statusQuery)).syncedVersion === before) {
    if (Date.now() > deadline) throw new Error('the change was never synced');
    await delay(200);
  }
  await waitForStage(handle, 'AwaitingApproval');
}

/** Two used lines: 1 × P-1000 at 30.00 and 1 × P-1001 at 80.00, a sales order of 110.00 USD. */
const twoUsedLines = () =>
  createWorkOrder(stack, {
    status: SystemStatus.Completed,
    customer: 'US-002',
    products: [
      { product: 'P-1000', used: true, estimate: 1, quantity: 1, price: 30 },
      { product: 'P-1001', used: true, estimate: 1, quantity: 1, price: 80 },
    ],
  });

test('a line deleted in Field Service leaves the F&O order before approval: F&O invoices 30.00 and Field Service records 30.00', async () => {
  const number = await twoUsedLines();
  const handle = await report(number);
  await waitForStage(handle, 'AwaitingApproval');
  expect((await handle.query(statusQuery)).salesOrder).toMatchObject({ totalAmount: 110, lineCount: 2 });

  await stack.deleteInDataverse(`msdyn_workorderproducts(${await workOrderLineId(number, 2)})`);
  const synced = (await handle.query(statusQuery)).syncedVersion;
  await report(number);
  await waitForResync(handle, synced);
  expect(await linesAsNumbers(number)).toEqual([[1, 'P-1000', 1, 30]]);
  expect((await handle.query(statusQuery)).salesOrder).toMatchObject({ totalAmount: 30, lineCount: 1 });

  // The approver's answer carries the total F&O holds.
  const approved = await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana' }] });
  expect(approved.salesOrder).toMatchObject({ totalAmount: 30, lineCount: 1 });
  await waitForStage(handle, 'AwaitingInvoice');
  expect(await linesAsNumbers(number)).toEqual([[1, 'P-1000', 1, 30]]);

  const posted = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
  expect(posted.status).toBe(200);
  const invoice = (await posted.json()) as { InvoiceNumber: string; TotalInvoiceAmount: number };
  expect(invoice.TotalInvoiceAmount).toBe(30);
  await handle.signal(invoicePostedSignal, { invoiceNumber: invoice.InvoiceNumber, legalEntity: 'usmf' });
  expect(await handle.result()).toMatchObject({
    stage: 'Invoiced',
    invoice: { invoiceNumber: invoice.InvoiceNumber, totalAmount: 30 },
  });
  const recorded = await stack.dataverse<{ value: { invoiceid: string; totalamount: number }[] }>(
    `invoices?$filter=invoicenumber eq '${invoice.InvoiceNumber}'&$select=totalamount`,
  );
  expect(recorded.value).toEqual([expect.objectContaining({ totalamount: 30 })]);
  const details = await stack.dataverse<{ value: unknown[] }>(
    `invoicedetails?$filter=_invoiceid_value eq ${recorded.value[0]!.invoiceid}&$select=quantity`,
  );
  expect(details.value).toHaveLength(1);
});

test('a line deleted in Field Service that no one reported leaves the F&O order in the re-sync after approval', async () => {
  const number = await twoUsedLines();
  const handle = await report(number);
  await waitForStage(handle, 'AwaitingApproval');
  await stack.deleteInDataverse(`msdyn_workorderproducts(${await workOrderLineId(number, 2)})`);

  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana' }] });
  await waitForStage(handle, 'AwaitingInvoice');
  expect(await linesAsNumbers(number)).toEqual([[1, 'P-1000', 1, 30]]);
  expect((await handle.query(statusQuery)).salesOrder).toMatchObject({ totalAmount: 30, lineCount: 1 });
  await handle.terminate('test done');
});

test('lines F&O has delivered are never removed or changed: the work order parks naming them, F&O untouched', async () => {
  const number = await twoUsedLines();
  const handle = await report(number);
  await waitForStage(handle, 'AwaitingApproval');
  expect((await stack.control('finance', `sales-orders/usmf/${number}/ship`)).status).toBe(200);
  const before = { header: await salesOrderHeader(number), lines: await salesOrderLines(number) };
  expect(before.lines.map((line) => line.SalesOrderLineStatus)).toEqual(['Delivered', 'Delivered']);

  await stack.updateInDataverse(`msdyn_workorderproducts(${await workOrderLineId(number, 1)})`, {
    msdyn_quantity: 2,
  });
  await stack.deleteInDataverse(`msdyn_workorderproducts(${await workOrderLineId(number, 2)})`);
  await report(number);
  const parked = await waitForStage(handle, 'NeedsAttention');
  expect(parked.attention?.reason).toMatch(
    new RegExp(
      `^Work order ${number}: sales order ${number} was not changed, because F&O has delivered or invoiced ` +
        'lines Field Service changed: line 1 changed in Field Service but is delivered in F&O ' +
        '\\(OrderedSalesQuantity 1 in F&O, 2 in Field Service\\); line 2 was removed in Field Service but is ' +
        'delivered in F&O\\. Undo the change in Field Service .*then retry$',
    ),
  );
  expect({ header: await salesOrderHeader(number), lines: await salesOrderLines(number) }).toEqual(before);
  await handle.terminate('test done');
});

test('an F&O order of the same number this integration did not create is never changed: the work order parks naming both', async () => {
  const number = `WO-T${Date.now().toString(36).toUpperCase()}`;
  // An F&O user's order that happens to carry the work order's number (the number sequences overlap).
  await stack.createInFinance('SalesOrderHeadersV2', {
    dataAreaId: 'usmf',
    SalesOrderNumber: number,
    OrderingCustomerAccountNumber: 'US-001',
    InvoiceCustomerAccountNumber: 'US-001',
    CurrencyCode: 'USD',
  });
  await stack.createInFinance('CDSSalesOrderLines', {
    dataAreaId: 'usmf',
    SalesOrderNumber: number,
    LineCreationSequenceNumber: 1,
    ProductNumber: 'P-2000',
    OrderedSalesQuantity: 7,
    SalesPrice: 12,
  });
  const before = { header: await salesOrderHeader(number), lines: await salesOrderLines(number) };
  await createWorkOrder(stack, {
    number,
    status: SystemStatus.Completed,
    customer: 'US-002',
    products: [{ product: 'P-1000', used: true, estimate: 1, quantity: 1, price: 30 }],
  });

  const handle = await report(number);
  const parked = await waitForStage(handle, 'NeedsAttention');
  expect(parked.attention).toMatchObject({ stage: 'CreatingSalesOrder' });
  expect(parked.attention?.reason).toMatch(
    new RegExp(
      `^Work order ${number}: F&O company usmf already has a sales order ${number} that this integration ` +
        'did not create \\(SalesOrderOriginType "NotSpecified", not WorkOrderIntegration\\); it is left ' +
        'unchanged\\. .*number sequence.*then retry$',
    ),
  );
  expect({ header: await salesOrderHeader(number), lines: await salesOrderLines(number) }).toEqual(before);
  await handle.terminate('test done');
});

describe('plausibility bounds park the work order with the bound crossed, and F&O gets no order', () => {
  async function expectParked(number: string, reason: RegExp): Promise<void> {
    const handle = await report(number);
    const parked = await waitForStage(handle, 'NeedsAttention');
    expect(parked.attention).toMatchObject({ stage: 'CreatingSalesOrder' });
    expect(parked.attention?.reason).toMatch(reason);
    const orders = await stack.finance<{ value: unknown[] }>(
      `CDSSalesOrderHeaders?$filter=SalesOrderNumber eq '${quoted(number)}'`,
    );
    expect(orders.value).toEqual([]);
    await handle.terminate('test done');
  }

  test('a used quantity of 1e12 crosses the quantity and amount bounds of its line', async () => {
    const number = await createWorkOrder(stack, {
      status: SystemStatus.Completed,
      products: [{ product: 'P-1000', used: true, estimate: 1, quantity: 1e12, price: 10 }],
    });
    await expectParked(
      number,
      new RegExp(
        `^Work order ${number} is not a plausible sales order: ` +
          'line 1 has a quantity of 1000000000000, above the bound of 10000 per line ' +
          '\\(SALES_ORDER_MAX_LINE_QUANTITY\\); line 1 amounts to 10000000000000, above the bound of 500000 per ' +
          'line \\(SALES_ORDER_MAX_LINE_AMOUNT\\); the order amounts to 10000000000000, above the bound of ' +
          '5000 per order \\(SALES_ORDER_MAX_ORDER_AMOUNT\\)\\. Correct the work order in Field Service, or if ' +
          'the values are right raise the bound .*then retry$',
      ),
    );
  });

  test('lines each within their bounds that together cross the bound per order', async () => {
    const number = await createWorkOrder(stack, {
      status: SystemStatus.Completed,
      products: [
        { product: 'P-1000', used: true, estimate: 1, quantity: 2, price: 1500 },
        { product: 'P-1001', used: true, estimate: 1, quantity: 1, price: 2500 },
      ],
    });
    await expectParked(
      number,
      new RegExp(
        `^Work order ${number} is not a plausible sales order: the order amounts to 5500, above the bound of ` +
          '5000 per order \\(SALES_ORDER_MAX_ORDER_AMOUNT\\)\\.',
      ),
    );
  });
});

test('the approver and the approval policy see the total F&O computed, which rounds each line to the cent', async () => {
  // Two lines of 0.5 × 0.01: F&O makes each 0.01, 0.02 in all; the lines as mapped sum to 0.01.
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    products: [
      { product: 'P-1000', used: true, estimate: 1, quantity: 0.5, price: 0.01 },
      { product: 'P-1001', used: true, estimate: 1, quantity: 0.5, price: 0.01 },
    ],
  });
  const handle = await report(number, { ...stack.config, approvalPolicy: 'above:0.01' });
  await waitForStage(handle, 'AwaitingApproval');
  expect((await handle.query(statusQuery)).salesOrder).toMatchObject({ totalAmount: 0.02, lineCount: 2 });
  await handle.terminate('test done');
});
