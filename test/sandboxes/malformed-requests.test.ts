import { startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

const methods = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'];

/** The methods whose answer is not a 4xx, with their status. */
async function non4xx(call: (method: string) => Promise<Response>): Promise<string[]> {
  const answers = await Promise.all(
    methods.map(async (method) => ({ method, status: (await call(method)).status })),
  );
  return answers
    .filter(({ status }) => status < 400 || status >= 500)
    .map(({ method, status }) => `${method} ${status}`);
}

test('malformed Dataverse requests get 4xx answers, never a 5xx or a hang', async () => {
  const paths = [
    'accounts?$filter=',
    'accounts?$filter=((((',
    "accounts?$filter=name eq 'a' or",
    'accounts?$filter=contains(name)',
    'accounts?$filter=name eq null eq null',
    'accounts?$top=-1',
    'accounts?$count=maybe',
    'accounts?$foo=1',
    'accounts?$orderby=name up',
    'accounts?$expand=nope',
    'accounts?$expand=transactioncurrencyid($filter=currencyname eq null)',
    'accounts?$skiptoken=abc',
    'accounts()',
    "accounts('x')",
    'accounts(a=)',
    'accounts(%zz)',
    'msdyn_workorders?$filter=msdyn_serviceaccount/nope eq 1',
    'nosuchset',
  ];
  for (const path of paths) {
    const unexpected = await non4xx((method) =>
      client.dataverse(path.replace(/ /g, '%20'), {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: method === 'GET' || method === 'DELETE' ? undefined : '[1,2]',
      }),
    );
    expect({ path, unexpected }).toEqual({ path, unexpected: [] });
  }
});

test('malformed F&O, token and control requests get 4xx answers', async () => {
  const financePaths = [
    'CustomersV3?$filter=',
    "CustomersV3(dataAreaId='usmf')",
    "CustomersV3(dataAreaId='usmf',CustomerAccount=1)",
    'CustomersV3?$skip=abc',
    "CustomersV3?$filter=CreditLimit gt 'x'",
    'CustomersV3?$orderby=Nope',
    "SalesInvoiceHeadersV2(dataAreaId='usmf',InvoiceNumber='x',InvoiceDate=notadate,LedgerVoucher='y')",
    '$batch',
  ];
  for (const path of financePaths) {
    const unexpected = await non4xx((method) =>
      client.finance(path.replace(/ /g, '%20'), {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: method === 'GET' || method === 'DELETE' ? undefined : 'null',
      }),
    );
    expect({ path, unexpected }).toEqual({ path, unexpected: [] });
  }
  const { urls, app } = client.sandboxes;
  for (const response of [
    await fetch(`${urls.token}/${app.tenantId}/oauth2/v2.0/token`, { method: 'POST', body: '%%%' }),
    await fetch(`${urls.token}/${app.tenantId}/oauth2/v2.0/token`),
    await fetch(`${urls.finance}/_sandbox/sales-orders/%zz/x/post-invoice`, { method: 'POST' }),
    await fetch(`${urls.finance}/_sandbox/sales-orders/usmf/x/post-invoice`, { method: 'POST', body: '{' }),
    await fetch(`${urls.dataverse}/_sandbox/limits`, {
      method: 'PUT',
      body: '{"requestBudget":{"maxRequests":0}}',
    }),
  ]) {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  }
});
