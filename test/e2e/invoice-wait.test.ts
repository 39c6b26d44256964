import { createWorkOrderActivities } from '../../activities/work-order';
import { createConnectors } from '../../connectors';
import { loadMappingProject } from '../../mappings/project/loader';
import { startStack, type Stack } from '../support/stack';
import { connectorCatalog } from '../../connectors/entities/catalog';

// Every waiting work order re-checks F&O once a day in case its invoicePosted signal never came
// (test/workflows/work-order-long-wait.test.ts). Those re-checks share one index of posted invoices.
let stack: Stack;

beforeAll(async () => {
  stack = await startStack('invoice-wait');
});
afterAll(() => stack?.close());

interface Stats {
  requests: { entitySet: string; count: number }[];
}

async function invoiceRequests(): Promise<number> {
  const stats = (await (await stack.control('finance', 'stats', undefined, 'GET')).json()) as Stats;
  return stats.requests
    .filter((r) => r.entitySet === 'SalesInvoiceHeadersV2' || r.entitySet === 'SalesInvoiceLines')
    .reduce((sum, r) => sum + r.count, 0);
}

/** F&O requests spent by one round of safety re-checks of `waiting` work orders, on a fresh worker. */
async function recheckCost(waiting: number): Promise<number> {
  const activities = createWorkOrderActivities(
    createConnectors(stack.config),
    loadMappingProject('standard', connectorCatalog()),
    stack.config.salesOrderBounds,
  );
  await stack.control('finance', 'stats', undefined, 'DELETE');
  for (let i = 0; i < waiting; i++) {
    const invoice = await activities.findSalesInvoice({
      salesOrderNumber: `WO-WAITING-${i}`,
      legalEntity: 'usmf',
      signalled: false,
    });
    expect(invoice).toBeNull();
  }
  return invoiceRequests();
}

test('the daily safety re-checks cost F&O the same whether 1 or 200 work orders wait', async () => {
  const forOne = await recheckCost(1);
  expect(forOne).toBeGreaterThan(0);
  expect(await recheckCost(200)).toBe(forOne);
});

test('a re-check finds an invoice posted while the signal was lost, and a signalled check reads F&O directly', async () => {
  const activities = createWorkOrderActivities(
    createConnectors(stack.config),
    loadMappingProject('standard', connectorCatalog()),
    stack.config.salesOrderBounds,
  );
  // A sales order invoiced in F&O while no signal reaches its workflow.
  const order = {
    SalesOrderNumber: 'SO-LOST-SIGNAL',
    OrderingCustomerAccountNumber: 'US-001',
    CurrencyCode: 'USD',
  };
  const token = await (
    await fetch(`${stack.sandboxes.urls.token}/${stack.sandboxes.app.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: stack.sandboxes.app.clientId,
        client_secret: stack.sandboxes.app.clientSecret,
        grant_type: 'client_credentials',
        scope: `${stack.sandboxes.urls.finance}/.default`,
      }),
    })
  ).json();
  const post = (path: string, body: unknown) =>
    fetch(`${stack.sandboxes.urls.finance}/data/${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${(token as { access_token: string }).access_token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
  expect((await post('CDSSalesOrderHeaders', order)).status).toBe(201);
  const line = {
    SalesOrderNumber: order.SalesOrderNumber,
    LineCreationSequenceNumber: 1,
    ProductNumber: 'P-1000',
  };
  expect(
    (await post('CDSSalesOrderLines', { ...line, OrderedSalesQuantity: 2, SalesPrice: 45 })).status,
  ).toBe(201);
  expect(
    (await stack.control('finance', `sales-orders/usmf/${order.SalesOrderNumber}/post-invoice`)).status,
  ).toBe(200);

  const found = await activities.findSalesInvoice({
    salesOrderNumber: order.SalesOrderNumber,
    legalEntity: 'usmf',
    signalled: false,
  });
  expect(found).toMatchObject({ salesOrderNumber: order.SalesOrderNumber, totalAmount: 90 });
  const direct = await activities.findSalesInvoice({
    salesOrderNumber: order.SalesOrderNumber,
    legalEntity: 'usmf',
    signalled: true,
  });
  expect(direct?.invoiceNumber).toBe(found?.invoiceNumber);
});

test('the invoice is looked up in the legal entity given: an order of the same number in another company is not it', async () => {
  const activities = createWorkOrderActivities(
    createConnectors(stack.config),
    loadMappingProject('standard', connectorCatalog()),
    stack.config.salesOrderBounds,
  );
  const salesOrderNumber = 'SO-OTHER-COMPANY';
  await stack.createInFinance('CDSSalesOrderHeaders?cross-company=true', {
    dataAreaId: 'usrt',
    SalesOrderNumber: salesOrderNumber,
    OrderingCustomerAccountNumber: 'RT-001',
    CurrencyCode: 'USD',
  });
  await stack.createInFinance('CDSSalesOrderLines?cross-company=true', {
    dataAreaId: 'usrt',
    SalesOrderNumber: salesOrderNumber,
    LineCreationSequenceNumber: 1,
    ProductNumber: 'P-1000',
    OrderedSalesQuantity: 3,
    SalesPrice: 45,
  });
  const posted = await stack.control('finance', `sales-orders/usrt/${salesOrderNumber}/post-invoice`);
  expect(posted.status).toBe(200);

  for (const signalled of [true, false]) {
    const inUsmf = await activities.findSalesInvoice({ salesOrderNumber, legalEntity: 'usmf', signalled });
    expect(inUsmf).toBeNull();
  }
  for (const signalled of [true, false]) {
    const inUsrt = await activities.findSalesInvoice({ salesOrderNumber, legalEntity: 'USRT', signalled });
    expect(inUsrt).toMatchObject({ salesOrderNumber, legalEntity: 'usrt', totalAmount: 135 });
  }
});
