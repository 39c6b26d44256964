import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { json, startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;
let receiver: Server;
const received: Record<string, unknown>[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  client = await startSandboxClient({ seed: true, businessEventUrl: `http://127.0.0.1:${port}/events` });
});
afterAll(async () => {
  await client.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function createOrder(number: string): Promise<void> {
  const header = { SalesOrderNumber: number, OrderingCustomerAccountNumber: 'US-002', CurrencyCode: 'USD' };
  expect((await client.finance('CDSSalesOrderHeaders', { method: 'POST', ...json(header) })).status).toBe(
    201,
  );
  const lines = [
    {
      LineCreationSequenceNumber: 1,
      ProductNumber: 'P-1001',
      OrderedSalesQuantity: 1,
      SalesPrice: 1250,
      LineDiscountAmount: 50,
    },
    {
      LineCreationSequenceNumber: -1,
      ProductNumber: 'S-3001',
      OrderedSalesQuantity: 1.5,
      SalesPrice: 150,
      LineDiscountAmount: 0,
    },
  ];
  for (const line of lines) {
    expect(
      (
        await client.finance('CDSSalesOrderLines', {
          method: 'POST',
          ...json({ SalesOrderNumber: number, ...line }),
        })
      ).status,
    ).toBe(201);
  }
}

test('posting a sales order invoice creates the invoice header and lines with totals and marks the order Invoiced', async () => {
  await createOrder('WO-2001');
  const posted = await client.control('finance', 'sales-orders/usmf/WO-2001/post-invoice', {
    method: 'POST',
    ...json({ invoiceDate: '2026-02-10' }),
  });
  expect(posted.status).toBe(200);
  const invoice = (await posted.json()) as Record<string, unknown>;
  expect(invoice).toMatchObject({
    InvoiceNumber: expect.stringMatching(/^CIV-\d{6}$/),
    InvoiceDate: '2026-02-10T00:00:00Z',
    SalesOrderNumber: 'WO-2001',
    InvoiceCustomerAccountNumber: 'US-002',
    TotalInvoiceAmount: 1425,
    TotalDiscountAmount: 50,
  });

  const headers = await client.finance(`SalesInvoiceHeadersV2?$filter=SalesOrderNumber eq 'WO-2001'`);
  const [header] = ((await headers.json()) as { value: Record<string, unknown>[] }).value;
  expect(header).toMatchObject({ InvoiceNumber: invoice.InvoiceNumber, TotalInvoiceAmount: 1425 });
  const key = `dataAreaId='usmf',InvoiceNumber='${String(invoice.InvoiceNumber)}',InvoiceDate=2026-02-10T00:00:00Z,LedgerVoucher='${String(header.LedgerVoucher)}'`;
  expect((await client.finance(`SalesInvoiceHeadersV2(${key})`)).status).toBe(200);

  const lines = await client.finance(
    `SalesInvoiceLines?$filter=InvoiceNumber eq '${String(invoice.InvoiceNumber)}'&$orderby=LineCreationSequenceNumber`,
  );
  expect(((await lines.json()) as { value: unknown[] }).value).toEqual([
    expect.objectContaining({
      LineCreationSequenceNumber: -1,
      ProductNumber: 'S-3001',
      InvoicedQuantity: 1.5,
      LineAmount: 225,
    }),
    expect.objectContaining({
      LineCreationSequenceNumber: 1,
      ProductNumber: 'P-1001',
      InvoicedQuantity: 1,
      LineAmount: 1200,
    }),
  ]);
  const order = await client.finance(
    `SalesOrderHeadersV2?$filter=SalesOrderNumber eq 'WO-2001' and SalesOrderStatus eq Microsoft.Dynamics.DataEntities.SalesStatus'Invoiced'`,
  );
  expect(((await order.json()) as { value: unknown[] }).value).toHaveLength(1);
  expect(
    (await client.control('finance', 'sales-orders/usmf/WO-2001/post-invoice', { method: 'POST' })).status,
  ).toBe(409);
  expect(
    (await client.control('finance', 'sales-orders/usmf/NOPE/post-invoice', { method: 'POST' })).status,
  ).toBe(404);
});

test('an invoice posted with a preallocated number gets that number, which no second invoice can take', async () => {
  await createOrder('WO-2003');
  await createOrder('WO-2004');
  const post = (order: string, invoiceNumber: string) =>
    client.control('finance', `sales-orders/usmf/${order}/post-invoice`, {
      method: 'POST',
      ...json({ invoiceDate: '2026-02-11', invoiceNumber }),
    });
  const posted = await post('WO-2003', 'CIV-000000-A');
  expect(posted.status).toBe(200);
  expect(await posted.json()).toMatchObject({ InvoiceNumber: 'CIV-000000-A', SalesOrderNumber: 'WO-2003' });
  const taken = await post('WO-2004', 'CIV-000000-A');
  expect(taken.status).toBe(409);
  expect(await taken.text()).toContain('Invoice number CIV-000000-A is already used.');
});

/** Waits for `done` (a minute at most: a sandbox delivers in milliseconds, even on a busy machine). */
async function eventually<T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await delay(20);
  }
}

test('posting emits the "sales order invoice posted" business event to the configured URL', async () => {
  await createOrder('WO-2002');
  received.length = 0;
  const dayBefore = new Date().toISOString().slice(0, 10);
  const posted = (await (
    await client.control('finance', 'sales-orders/usmf/WO-2002/post-invoice', { method: 'POST' })
  ).json()) as Record<string, unknown>;
  const dayAfter = new Date().toISOString().slice(0, 10);
  // Posted without a date: dated the day it was posted, at midnight UTC, as F&O's date fields are.
  expect([`${dayBefore}T00:00:00Z`, `${dayAfter}T00:00:00Z`]).toContain(posted.InvoiceDate);
  await eventually(
    'the business event',
    () => received.length,
    (count) => count > 0,
  );
  expect(received).toHaveLength(1);
  expect(received[0]).toMatchObject({
    BusinessEventId: 'SalesInvoicePostedBusinessEvent',
    InvoiceAccount: 'US-002',
    InvoiceId: posted.InvoiceNumber,
    SalesOrderId: 'WO-2002',
    InvoiceAmountInAccountingCurrency: 1425,
    LegalEntity: 'USMF',
    EventTime: expect.stringMatching(/^\/Date\(\d+\)\/$/),
    InvoiceDate: expect.stringMatching(/^\/Date\(\d+\)\/$/),
    EventId: expect.stringMatching(/^[0-9A-F-]{36}$/),
    ControlNumber: expect.any(Number),
  });
  expect(received[0]!.InvoiceDate).toBe(`/Date(${Date.parse(String(posted.InvoiceDate))})/`);
  // The receiver has the event before the sandbox has its answer: wait for the delivery to be logged.
  const deliveries = await eventually(
    'the delivery log',
    async () =>
      (
        (await (await client.control('finance', 'business-events')).json()) as {
          deliveries: { outcome: number | string; delivered: boolean }[];
        }
      ).deliveries,
    (logged) => logged.length > 0 && logged.at(-1)!.outcome !== 'pending',
  );
  expect(deliveries.at(-1)).toMatchObject({ delivered: true, outcome: 202 });
});

test('a change set in an F&O $batch is all-or-nothing; the batch itself answers 200', async () => {
  const body = [
    '--batch_F',
    'Content-Type: multipart/mixed; boundary=changeset_G',
    '',
    '--changeset_G',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    'Content-ID: 1',
    '',
    'POST CDSSalesOrderHeaders?cross-company=true HTTP/1.1',
    'Content-Type: application/json',
    '',
    JSON.stringify({ SalesOrderNumber: 'WO-3001', OrderingCustomerAccountNumber: 'US-001' }),
    '--changeset_G',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    'Content-ID: 2',
    '',
    'POST CDSSalesOrderLines HTTP/1.1',
    'Content-Type: application/json',
    '',
    JSON.stringify({
      SalesOrderNumber: 'WO-3001',
      LineCreationSequenceNumber: 1,
      ProductNumber: 'NO-SUCH-ITEM',
    }),
    '--changeset_G--',
    '--batch_F--',
    '',
  ].join('\r\n');
  const response = await client.finance('$batch', {
    method: 'POST',
    headers: { 'Content-Type': 'multipart/mixed; boundary=batch_F' },
    body,
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(text).toMatch(/HTTP\/1\.1 400 Bad Request/);
  expect(text).toMatch(/NO-SUCH-ITEM is not a released product/);
  expect(
    (await client.finance(`CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='WO-3001')`)).status,
  ).toBe(404);

  const fixed = body.replace('NO-SUCH-ITEM', 'P-1000');
  const retried = await client.finance('$batch', {
    method: 'POST',
    headers: { 'Content-Type': 'multipart/mixed; boundary=batch_F' },
    body: fixed,
  });
  const retriedText = await retried.text();
  expect(retriedText.match(/HTTP\/1\.1 201 Created/g)).toHaveLength(2);
  expect(retriedText).toMatch(
    /Location: .*CDSSalesOrderLines\(dataAreaId='usmf',SalesOrderNumber='WO-3001',LineCreationSequenceNumber=1\)/,
  );
});

test('a GET after a change set in the same $batch answers what the change set wrote, amounts F&O computes included', async () => {
  await createOrder('WO-3002');
  const part = (contentId: number, requestLine: string, body?: unknown) => [
    '--changeset_K',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    `Content-ID: ${contentId}`,
    '',
    requestLine,
    'Content-Type: application/json',
    '',
    body === undefined ? '' : JSON.stringify(body),
  ];
  const lines = "CDSSalesOrderLines(dataAreaId='usmf',SalesOrderNumber='WO-3002',LineCreationSequenceNumber=";
  const body = [
    '--batch_J',
    'Content-Type: multipart/mixed; boundary=changeset_K',
    '',
    ...part(1, `PATCH ${lines}1)?cross-company=true HTTP/1.1`, { OrderedSalesQuantity: 2 }),
    ...part(2, `DELETE ${lines}-1)?cross-company=true HTTP/1.1`),
    '--changeset_K--',
    '--batch_J',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    "GET CDSSalesOrderLines?$filter=SalesOrderNumber%20eq%20'WO-3002'&$select=LineCreationSequenceNumber,LineAmount&cross-company=true HTTP/1.1",
    'Accept: application/json',
    '',
    '',
    '--batch_J--',
    '',
  ].join('\r\n');
  const response = await client.finance('$batch', {
    method: 'POST',
    headers: { 'Content-Type': 'multipart/mixed; boundary=batch_J' },
    body,
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(text.match(/HTTP\/1\.1 204 No Content/g)).toHaveLength(2);
  const read = JSON.parse(text.slice(text.indexOf('{"'), text.lastIndexOf('}') + 1)) as {
    value: { LineCreationSequenceNumber: number; LineAmount: number }[];
  };
  // 2 × 1250 − 50, computed by F&O; the deleted service line is gone.
  expect(read.value).toEqual([expect.objectContaining({ LineCreationSequenceNumber: 1, LineAmount: 2450 })]);
});

test('F&O answers 429 with Retry-After over the request budget; reset and seed restore the demo data', async () => {
  await client.control('finance', 'limits', {
    method: 'PUT',
    ...json({ requestBudget: { maxRequests: 2, windowSeconds: 60 } }),
  });
  try {
    await client.finance('CustomersV3?$top=1');
    await client.finance('CustomersV3?$top=1');
    const throttled = await client.finance('CustomersV3?$top=1');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/);
  } finally {
    await client.control('finance', 'limits', { method: 'PUT', ...json({ requestBudget: null }) });
  }
  expect((await client.control('finance', 'reset', { method: 'POST' })).status).toBe(204);
  expect(((await (await client.finance('CustomersV3')).json()) as { value: unknown[] }).value).toEqual([]);
  expect((await client.control('finance', 'seed', { method: 'POST' })).status).toBe(200);
  expect(
    ((await (await client.finance('CustomersV3')).json()) as { value: unknown[] }).value.length,
  ).toBeGreaterThan(0);
});
