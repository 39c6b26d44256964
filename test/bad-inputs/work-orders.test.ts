import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startWorkOrder } from '../../client/starters/work-order';
import { createWorkOrder, type ProductLine, type ServiceLine, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import {
  createProduct,
  idOf,
  refusal,
  salesOrdersOf,
  settle,
  start,
  uniqueNumber,
  waitForStage,
} from './support';

// Bad work orders, lines, accounts and products: each ends in NeedsAttention with a reason a person
// can act on, and nothing is written to F&O. One stack and one worker; the cases run side by side.
let env: TestWorkflowEnvironment;
let stack: Stack;
let worker: TestWorker;

const used = (product: string, quantity: number): ProductLine => ({
  product,
  used: true,
  allocated: true,
  estimate: quantity,
  quantity,
  price: 45,
});
const service = (minutes: number): ServiceLine => ({
  service: 'S-3000',
  used: true,
  estimateMinutes: minutes,
  minutes,
  price: 80,
});

/** A work order built from parts the shared helper cannot express: accounts by id, no currency. */
async function createRawWorkOrder(options: {
  serviceAccount?: string;
  billingAccount?: string;
  currency: boolean;
  /** The line's product binding; P-1000 by default. */
  product?: string;
}): Promise<string> {
  const number = uniqueNumber();
  const usd = await idOf(stack, 'transactioncurrencies', "isocurrencycode eq 'USD'", 'transactioncurrencyid');
  const ea = await idOf(stack, 'uoms', "msdyn_symbol eq 'ea'", 'uomid');
  const id = await stack.createInDataverse('msdyn_workorders', {
    msdyn_name: number,
    msdyn_systemstatus: SystemStatus.Completed,
    ...(options.serviceAccount && {
      'msdyn_serviceaccount@odata.bind': `/accounts(${options.serviceAccount})`,
    }),
    ...(options.billingAccount && {
      'msdyn_billingaccount@odata.bind': `/accounts(${options.billingAccount})`,
    }),
    ...(options.currency && { 'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usd})` }),
  });
  await stack.createInDataverse('msdyn_workorderproducts', {
    msdyn_name: `${number}-1`,
    msdyn_lineorder: 1,
    msdyn_linestatus: 690970001,
    msdyn_allocated: true,
    msdyn_estimatequantity: 1,
    msdyn_quantity: 1,
    msdyn_estimateunitamount: 45,
    msdyn_unitamount: 45,
    'msdyn_workorder@odata.bind': `/msdyn_workorders(${id})`,
    'msdyn_product@odata.bind': options.product ?? "/products(productnumber='P-1000')",
    'msdyn_unit@odata.bind': `/uoms(${ea})`,
  });
  return number;
}

const accountId = (accountNumber: string) =>
  idOf(stack, 'accounts', `accountnumber eq '${accountNumber}'`, 'accountid');
const accountWithoutNumber = () =>
  stack.createInDataverse('accounts', { name: `No number ${uniqueNumber('')}` });

interface Case {
  name: string;
  /** Creates the data in Field Service and returns the work order number to start. */
  arrange: () => Promise<string>;
  /** The NeedsAttention reason, as a pattern; `{number}` stands for the work order number. */
  reason: string;
}

const cases: Case[] = [
  {
    name: 'work order: unknown number',
    arrange: async () => uniqueNumber('WO-NONE-'),
    reason: 'Work order {number} does not exist in Field Service',
  },
  {
    name: "work order: unknown number with OData quote characters (WO-O'Brien&$x)",
    arrange: async () => `${uniqueNumber('WO-')}-O'Brien&$x`,
    reason: 'Work order {number} does not exist in Field Service',
  },
  {
    name: 'work order: Open-Unscheduled',
    arrange: () =>
      createWorkOrder(stack, { status: SystemStatus.Unscheduled, products: [used('P-1000', 1)] }),
    reason:
      'Work order {number} does not sync: it is Open-Unscheduled; only Scheduled, In Progress, Completed and Posted work orders become sales orders',
  },
  {
    name: 'work order: no currency',
    arrange: async () =>
      createRawWorkOrder({
        serviceAccount: await accountId('US-001'),
        billingAccount: await accountId('US-001'),
        currency: false,
      }),
    reason: 'Work order {number} cannot become a sales order: .*it has no currency',
  },
  {
    name: 'account: none at all',
    arrange: () =>
      createWorkOrder(stack, {
        status: SystemStatus.Completed,
        customer: null,
        products: [used('P-1000', 1)],
      }),
    reason: 'no service account',
  },
  {
    name: 'account: billing account without an account number',
    arrange: async () =>
      createRawWorkOrder({
        serviceAccount: await accountId('US-001'),
        billingAccount: await accountWithoutNumber(),
        currency: true,
      }),
    reason:
      '^Work order {number}: task Accounts - Customers: key field CustomerAccount has no value for this record$',
  },
  {
    name: 'account: service account without an account number',
    arrange: async () =>
      createRawWorkOrder({
        serviceAccount: await accountWithoutNumber(),
        billingAccount: await accountId('US-001'),
        currency: true,
      }),
    reason:
      '^Work order {number}: task Accounts - Customers: key field CustomerAccount has no value for this record$',
  },
  {
    name: 'line: negative product quantity',
    arrange: () => createWorkOrder(stack, { status: SystemStatus.Completed, products: [used('P-1000', -2)] }),
    reason: 'Work order {number} cannot become a sales order: line 1 has a negative quantity \\(-2\\)$',
  },
  {
    name: 'line: negative service duration',
    arrange: () => createWorkOrder(stack, { status: SystemStatus.Completed, services: [service(-90)] }),
    reason: 'Work order {number} cannot become a sales order: line -1 has a negative quantity \\(-1.5\\)$',
  },
  {
    name: 'lines: every problem is named at once',
    arrange: () =>
      createWorkOrder(stack, {
        status: SystemStatus.Completed,
        products: [used('P-1000', -1), used('P-1001', 2), used('P-2000', -3)],
      }),
    reason:
      '^Work order {number} cannot become a sales order: (?=.*line 1 has a negative quantity \\(-1\\))(?=.*line 3 has a negative quantity \\(-3\\))(?!.*line 2)',
  },
  {
    name: 'line: its product was deleted in Field Service',
    arrange: async () => {
      const product = await createProduct(stack, true);
      const number = await createWorkOrder(stack, {
        status: SystemStatus.Completed,
        products: [used(product.number!, 1)],
      });
      await stack.deleteInDataverse(`products(${product.id})`);
      return number;
    },
    reason: 'line 1 has no product that exists in Field Service',
  },
  {
    name: 'product: not maintained in F&O (P-9000)',
    arrange: () =>
      createWorkOrder(stack, {
        status: SystemStatus.Completed,
        products: [used('P-1000', 1), used('P-9000', 1)],
      }),
    reason:
      'Work order {number} does not sync: not all its products are maintained in F&O \\(product P-9000 is not maintained in F&O\\)',
  },
  {
    name: 'product: no product number in Field Service',
    arrange: async () => {
      const product = await createProduct(stack, true, null);
      return createRawWorkOrder({
        serviceAccount: await accountId('US-001'),
        billingAccount: await accountId('US-001'),
        currency: true,
        product: `/products(${product.id})`,
      });
    },
    reason:
      '^Work order {number}: task Products - Released products: key field ItemNumber has no value for this record$',
  },
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Outcome = { number: string; reason?: string; salesOrders: unknown[] };
let outcomes: Map<string, Promise<{ ok: true; value: Outcome } | { ok: false; error: unknown }>>;

beforeAll(async () => {
  env = await connectToTestServer();
  const [workflowBundle, started] = await Promise.all([bundleWorkflows(), startStack('bad-inputs-wo')]);
  stack = started;
  worker = await inProcessWorker(env, stack, workflowBundle);
  // Every case at once: the worker handles them side by side, each test then checks its own outcome.
  outcomes = new Map(
    cases.map((c) => [
      c.name,
      settle(
        (async () => {
          const number = await c.arrange();
          const handle = await start(env.client, stack.config, number);
          const state = await waitForStage(handle, 'NeedsAttention');
          const salesOrders = await salesOrdersOf(stack, number);
          await handle.terminate('bad-input case checked');
          return { number, reason: state.attention?.reason, salesOrders };
        })(),
      ),
    ]),
  );
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

test.each(cases)('$name → NeedsAttention with a readable reason, no F&O sales order', async (c) => {
  const outcome = await outcomes.get(c.name)!;
  if (!outcome.ok) throw outcome.error;
  const { number, reason, salesOrders } = outcome.value;
  expect(reason).toMatch(new RegExp(c.reason.replaceAll('{number}', escape(number))));
  expect(salesOrders).toEqual([]);
});

describe('work order numbers the starter refuses before anything starts', () => {
  test.each([
    ['empty', '   ', 'a work order number is required'],
    ['a control character', 'WO-1\n2', 'a work order number has no control characters'],
    ['101 characters', `WO-${'9'.repeat(98)}`, 'a work order number has at most 100 characters'],
  ])('%s', async (_name, number, message) => {
    expect(await refusal(startWorkOrder(env.client, stack.config, number))).toContain(message);
  });
});
