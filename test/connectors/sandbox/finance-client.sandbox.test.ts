import {
  customers,
  ExternalWorkOrderStatus,
  FieldServiceProductType,
  releasedProducts,
  salesOrderHeaders,
  salesOrderLines,
} from '../../../connectors/entities/finance';
import { D365Error } from '../../../connectors/errors';
import type { FinanceClient } from '../../../connectors/finance/finance-client';
import { eq } from '../../../connectors/odata/filter';
import { enumMember } from '../../../connectors/odata/literals';
import type { RequestStatsReport } from '../../../sandboxes/platform/request-stats';
import { startSandboxConnectors, type SandboxConnectors } from './sandbox-connectors';

let env: SandboxConnectors;
let finance: FinanceClient;

beforeAll(async () => {
  env = await startSandboxConnectors({ seed: true });
  finance = env.finance();
});
afterAll(() => env.sandboxes.close());
beforeEach(async () => {
  await env.control('finance', 'seed');
  await env.control('finance', 'faults', 'PUT', {});
  await env.control('finance', 'paging', 'PUT', { pageSize: 10_000 });
});

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

const newCustomer = (account: string, name: string) => ({
  CustomerAccount: account,
  OrganizationName: name,
  CustomerGroupId: '10',
  SalesCurrencyCode: 'USD',
});

describe('FinanceClient against the F&O sandbox', () => {
  it('pages with server-driven next links, stays in its company, and survives a token expiry', async () => {
    for (const n of [1, 2, 3, 4, 5]) await finance.create(customers, newCustomer(`PG-${n}`, `Paging ${n}`));
    await env.finance('usrt').create(customers, newCustomer('PG-USRT', 'Other company'));
    await env.control('finance', 'paging', 'PUT', { pageSize: 2 });
    await env.control('finance', 'stats', 'DELETE');

    const accounts: string[] = [];
    for await (const customer of finance.query(customers, { orderBy: ['CustomerAccount'] })) {
      expect(customer.dataAreaId).toBe('usmf');
      accounts.push(customer.CustomerAccount);
      if (accounts.length === 3) await env.control('finance', 'expire-tokens');
    }
    expect(accounts).toEqual(expect.arrayContaining(['PG-1', 'PG-2', 'PG-3', 'PG-4', 'PG-5']));
    expect(new Set(accounts).size).toBe(accounts.length);
    expect(accounts).not.toContain('PG-USRT');

    const stats = (await env.control('finance', 'stats', 'GET')) as RequestStatsReport;
    const pages = Math.ceil(accounts.length / 2);
    expect(stats.requests).toEqual(
      expect.arrayContaining([
        { method: 'GET', entitySet: 'CustomersV3', status: 200, count: pages },
        { method: 'GET', entitySet: 'CustomersV3', status: 401, count: 1 },
      ]),
    );
  });

  it('reads every company with queryAllCompanies', async () => {
    await env.finance('usrt').create(customers, newCustomer('ALL-USRT', 'Retail company customer'));
    const companies = new Map<string, string>();
    for await (const customer of finance.queryAllCompanies(customers, {
      filter: eq('CustomerAccount', 'ALL-USRT'),
    })) {
      companies.set(customer.CustomerAccount, customer.dataAreaId);
    }
    expect(companies).toEqual(new Map([['ALL-USRT', 'usrt']]));
    expect(await collect(finance.query(customers, { filter: eq('CustomerAccount', 'ALL-USRT') }))).toEqual(
      [],
    );
  });

  it('filters on enum literals', async () => {
    const inventory = await collect(
      finance.query(releasedProducts, {
        filter: eq('FieldServiceProductType', enumMember(FieldServiceProductType, 'Inventory')),
      }),
    );
    expect(inventory.length).toBeGreaterThan(0);
    expect(inventory.every((product) => product.FieldServiceProductType === 'Inventory')).toBe(true);
  });

  it('finds a key and a filter value with quotes and non-ASCII characters, and nothing else', async () => {
    const account = "O'BR-Ü1";
    const name = "O'Brien Sanitär — Zürich";
    await finance.create(customers, newCustomer(account, name));
    await finance.create(customers, newCustomer('OBR-2', "O'Brien"));
    await expect(finance.retrieve(customers, { CustomerAccount: account })).resolves.toMatchObject({
      OrganizationName: name,
    });
    const found = await collect(finance.query(customers, { filter: eq('OrganizationName', name) }));
    expect(found.map((customer) => customer.CustomerAccount)).toEqual([account]);
    expect(
      await collect(
        finance.query(customers, { filter: eq('OrganizationName', "O' or OrganizationName ne '") }),
      ),
    ).toEqual([]);
  });

  it('surfaces an X++ business rule readably and non-retryable', async () => {
    const failure = await finance
      .create(salesOrderHeaders, {
        SalesOrderNumber: 'WO-BR-1',
        OrderingCustomerAccountNumber: 'NO-SUCH-CUSTOMER',
        InvoiceCustomerAccountNumber: 'NO-SUCH-CUSTOMER',
        CurrencyCode: 'USD',
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(D365Error);
    expect(failure).toMatchObject({ service: 'finance', kind: 'business-rule', retryable: false });
    expect((failure as Error).message).toContain(
      'Customer account NO-SUCH-CUSTOMER does not exist in company usmf.',
    );
  });

  it('rolls back a change set when one operation fails', async () => {
    const [customer] = await collect(finance.query(customers, { top: 1 }));
    if (!customer) throw new Error('the seed has no customer');
    const header = {
      SalesOrderNumber: 'WO-BATCH-1',
      OrderingCustomerAccountNumber: customer.CustomerAccount,
      InvoiceCustomerAccountNumber: customer.CustomerAccount,
      CurrencyCode: 'USD',
      ExternalWorkOrderStatus: 'OpenScheduled',
    };
    const failure = await finance
      .batch([
        [
          finance.createOperation(salesOrderHeaders, header),
          finance.createOperation(salesOrderLines, {
            SalesOrderNumber: 'WO-BATCH-1',
            LineCreationSequenceNumber: 1,
            ProductNumber: 'NO-SUCH-ITEM',
            OrderedSalesQuantity: 1,
            SalesPrice: 10,
          }),
        ],
      ])
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'business-rule', retryable: false });
    expect((failure as Error).message).toMatch(/change set rolled back.*NO-SUCH-ITEM/);
    await expect(
      finance.retrieve(salesOrderHeaders, { SalesOrderNumber: 'WO-BATCH-1' }),
    ).rejects.toMatchObject({
      kind: 'not-found',
    });

    await finance.batch([[finance.createOperation(salesOrderHeaders, header)]]);
    const created = await collect(
      finance.query(salesOrderHeaders, {
        filter: eq('ExternalWorkOrderStatus', enumMember(ExternalWorkOrderStatus, 'OpenScheduled')),
      }),
    );
    expect(created.map((order) => order.SalesOrderNumber)).toContain('WO-BATCH-1');
  });

  it('upserts: updates an existing record, creates a missing one', async () => {
    const [customer] = await collect(finance.query(customers, { top: 1 }));
    if (!customer) throw new Error('the seed has no customer');
    const order = {
      OrderingCustomerAccountNumber: customer.CustomerAccount,
      InvoiceCustomerAccountNumber: customer.CustomerAccount,
      CurrencyCode: 'USD',
    };
    await expect(finance.upsert(salesOrderHeaders, { SalesOrderNumber: 'WO-UP-1' }, order)).resolves.toEqual({
      created: true,
    });
    await expect(
      finance.upsert(
        salesOrderHeaders,
        { SalesOrderNumber: 'WO-UP-1' },
        { ExternalWorkOrderStatus: 'OpenCompleted' },
      ),
    ).resolves.toEqual({ created: false });
    await expect(finance.retrieve(salesOrderHeaders, { SalesOrderNumber: 'WO-UP-1' })).resolves.toMatchObject(
      {
        ExternalWorkOrderStatus: 'OpenCompleted',
      },
    );
  });

  it('refuses a stale ETag with 412 and reports a 429 with its delay', async () => {
    const [customer] = await collect(finance.query(customers, { top: 1 }));
    if (!customer?.['@odata.etag']) throw new Error('the seed has no customer with an ETag');
    const key = { CustomerAccount: customer.CustomerAccount };
    await finance.update(customers, key, { CreditLimit: 1000 }, customer['@odata.etag']);
    const stale = await finance
      .update(customers, key, { CreditLimit: 2000 }, customer['@odata.etag'])
      .catch((error: unknown) => error);
    expect(stale).toMatchObject({ kind: 'precondition-failed', status: 412, retryable: false });
    expect((stale as Error).message).toContain('The ETag does not match');

    await env.control('finance', 'faults', 'PUT', { throttleRate: 1, throttleRetryAfterSeconds: 4 });
    const throttled = await finance.retrieve(customers, key).catch((error: unknown) => error);
    expect(throttled).toMatchObject({ kind: 'throttled', status: 429, retryable: true, retryAfterMs: 4000 });
  });
});
