import { json, startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

interface FinanceErrorBody {
  error: { code: string; message: string; innererror: { message: string; type: string } };
}

async function expectWriteFailure(response: Response, infolog: RegExp): Promise<void> {
  expect(response.status).toBe(400);
  const body = (await response.json()) as FinanceErrorBody;
  expect(body.error.code).toBe('');
  expect(body.error.message).toBe('An error has occurred.');
  expect(body.error.innererror.type).toBe(
    'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException',
  );
  expect(body.error.innererror.message).toMatch(
    /^Write failed for table row of type '\w+'\. Infolog: Error: /,
  );
  expect(body.error.innererror.message).toMatch(infolog);
}

const header = (number: string, customer: string, company?: string) => ({
  ...(company ? { dataAreaId: company } : {}),
  SalesOrderNumber: number,
  OrderingCustomerAccountNumber: customer,
  CurrencyCode: 'USD',
  SalesOrderOriginType: 'WorkOrderIntegration',
  ExternalWorkOrderStatus: 'OpenScheduled',
});

const line = (number: string, sequence: number, product: string, company?: string) => ({
  ...(company ? { dataAreaId: company } : {}),
  SalesOrderNumber: number,
  LineCreationSequenceNumber: sequence,
  ProductNumber: product,
  OrderedSalesQuantity: 2,
  SalesPrice: 45,
  SalesUnitSymbol: 'ea',
});

test('create returns 201 with the record and Location; PATCH updates; If-Match with a stale ETag is 412', async () => {
  const created = await client.finance('CDSSalesOrderHeaders', {
    method: 'POST',
    ...json(header('WO-1001', 'US-001')),
  });
  expect(created.status).toBe(201);
  expect(created.headers.get('location')).toBe(
    `${client.sandboxes.urls.finance}/data/CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='WO-1001')`,
  );
  const record = (await created.json()) as Record<string, unknown>;
  expect(record).toMatchObject({
    dataAreaId: 'usmf',
    SalesOrderStatus: 'Backorder',
    ExternalWorkOrderStatus: 'OpenScheduled',
  });
  const url = `CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='WO-1001')`;
  const patched = await client.finance(url, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'If-Match': String(record['@odata.etag']) },
    body: JSON.stringify({ ExternalWorkOrderStatus: 'OpenInProgress' }),
  });
  expect(patched.status).toBe(204);
  const stale = await client.finance(url, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'If-Match': String(record['@odata.etag']) },
    body: JSON.stringify({ ExternalWorkOrderStatus: 'OpenCompleted' }),
  });
  expect(stale.status).toBe(412);
  const viaV2 = await client.finance(
    `SalesOrderHeadersV2(dataAreaId='usmf',SalesOrderNumber='WO-1001')?$select=ExternalWorkOrderStatus`,
  );
  expect(await viaV2.json()).toMatchObject({ ExternalWorkOrderStatus: 'OpenInProgress' });
  const duplicate = await client.finance('CDSSalesOrderHeaders', {
    method: 'POST',
    ...json(header('WO-1001', 'US-001')),
  });
  await expectWriteFailure(duplicate, /already exists/);
});

test('a sales order in a currency F&O does not know is refused', async () => {
  await expectWriteFailure(
    await client.finance('CDSSalesOrderHeaders', {
      method: 'POST',
      ...json({ ...header('WO-1009', 'US-001'), CurrencyCode: 'XYZ' }),
    }),
    /Currency XYZ does not exist/,
  );
});

test('a sales order needs a customer of its company; a line needs a released product of that company', async () => {
  await expectWriteFailure(
    await client.finance('CDSSalesOrderHeaders', { method: 'POST', ...json(header('WO-1002', 'NOBODY')) }),
    /Customer account NOBODY does not exist in company usmf/,
  );
  await expectWriteFailure(
    await client.finance('CDSSalesOrderHeaders?cross-company=true', {
      method: 'POST',
      ...json(header('WO-1002', 'US-001', 'usrt')),
    }),
    /Customer account US-001 does not exist in company usrt/,
  );
  const usrt = await client.finance('CDSSalesOrderHeaders?cross-company=true', {
    method: 'POST',
    ...json(header('WO-1002', 'RT-001', 'usrt')),
  });
  expect(usrt.status).toBe(201);
  expect(await usrt.json()).toMatchObject({ dataAreaId: 'usrt' });

  await client.finance('CDSSalesOrderHeaders', { method: 'POST', ...json(header('WO-1003', 'US-002')) });
  await expectWriteFailure(
    await client.finance('CDSSalesOrderLines', { method: 'POST', ...json(line('WO-1003', 1, 'P-9000')) }),
    /Item number P-9000 is not a released product in company usmf/,
  );
  await expectWriteFailure(
    await client.finance('CDSSalesOrderLines?cross-company=true', {
      method: 'POST',
      ...json(line('WO-1002', 1, 'P-1001', 'usrt')),
    }),
    /P-1001 is not a released product in company usrt/,
  );
  await expectWriteFailure(
    await client.finance('CDSSalesOrderLines', { method: 'POST', ...json(line('WO-NONE', 1, 'P-1000')) }),
    /Sales order WO-NONE does not exist/,
  );
  const service = await client.finance('CDSSalesOrderLines', {
    method: 'POST',
    ...json(line('WO-1003', -1, 'S-3000')),
  });
  expect(service.status).toBe(201);
  const byKey = await client.finance(
    `CDSSalesOrderLines(dataAreaId='usmf',SalesOrderNumber='WO-1003',LineCreationSequenceNumber=-1)`,
  );
  expect(await byKey.json()).toMatchObject({
    ProductNumber: 'S-3000',
    SalesOrderLineStatus: 'Backorder',
    LineAmount: 90,
  });
});

test('return=minimal gives 204 with Location; deleting an order deletes its lines', async () => {
  const minimal = await client.finance('CDSSalesOrderHeaders', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Prefer: 'return=minimal' },
    body: JSON.stringify(header('WO-1005', 'US-001')),
  });
  expect(minimal.status).toBe(204);
  expect(minimal.headers.get('location')).toMatch(
    /CDSSalesOrderHeaders\(dataAreaId='usmf',SalesOrderNumber='WO-1005'\)$/,
  );
  await client.finance('CDSSalesOrderLines', { method: 'POST', ...json(line('WO-1005', 1, 'P-1000')) });
  const deleted = await client.finance(`CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='WO-1005')`, {
    method: 'DELETE',
  });
  expect(deleted.status).toBe(204);
  const lines = await client.finance(`CDSSalesOrderLines?$filter=SalesOrderNumber eq 'WO-1005'`);
  expect(((await lines.json()) as { value: unknown[] }).value).toEqual([]);
});

test('an invoiced sales order and its lines cannot be changed', async () => {
  await client.finance('CDSSalesOrderHeaders', { method: 'POST', ...json(header('WO-1004', 'US-003')) });
  await client.finance('CDSSalesOrderLines', { method: 'POST', ...json(line('WO-1004', 1, 'P-1000')) });
  const posted = await client.control('finance', 'sales-orders/usmf/WO-1004/post-invoice', {
    method: 'POST',
  });
  expect(posted.status).toBe(200);
  await expectWriteFailure(
    await client.finance(`CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='WO-1004')`, {
      method: 'PATCH',
      ...json({ CustomersOrderReference: 'late' }),
    }),
    /WO-1004 has been invoiced and cannot be changed/,
  );
  await expectWriteFailure(
    await client.finance(
      `CDSSalesOrderLines(dataAreaId='usmf',SalesOrderNumber='WO-1004',LineCreationSequenceNumber=1)`,
      {
        method: 'PATCH',
        ...json({ OrderedSalesQuantity: 9 }),
      },
    ),
    /invoiced/,
  );
  await expectWriteFailure(
    await client.finance('CDSSalesOrderLines', { method: 'POST', ...json(line('WO-1004', 2, 'P-1000')) }),
    /invoiced/,
  );
  await expectWriteFailure(
    await client.finance(`CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='WO-1004')`, {
      method: 'DELETE',
    }),
    /invoiced/,
  );
});

test('a delivered line shows SalesOrderLineStatus Delivered and can be neither deleted nor changed in item or quantity', async () => {
  await client.finance('CDSSalesOrderHeaders', { method: 'POST', ...json(header('WO-1016', 'US-001')) });
  for (const sequence of [1, 2])
    await client.finance('CDSSalesOrderLines', {
      method: 'POST',
      ...json(line('WO-1016', sequence, 'P-1000')),
    });
  const path = (sequence: number) =>
    `CDSSalesOrderLines(dataAreaId='usmf',SalesOrderNumber='WO-1016',LineCreationSequenceNumber=${sequence})`;
  expect(await (await client.finance(path(1))).json()).toMatchObject({ SalesOrderLineStatus: 'Backorder' });
  expect((await client.control('finance', 'sales-orders/usmf/WO-1016/ship', { method: 'POST' })).status).toBe(
    200,
  );
  expect(await (await client.finance(path(1))).json()).toMatchObject({ SalesOrderLineStatus: 'Delivered' });

  await expectWriteFailure(
    await client.finance(path(2), { method: 'DELETE' }),
    /Line 2 of sales order WO-1016 has been delivered and cannot be deleted/,
  );
  await expectWriteFailure(
    await client.finance(path(1), { method: 'PATCH', ...json({ OrderedSalesQuantity: 1 }) }),
    /Line 1 of sales order WO-1016 has been delivered; its quantity cannot be changed/,
  );
  await expectWriteFailure(
    await client.finance(path(1), { method: 'PATCH', ...json({ ProductNumber: 'P-1001' }) }),
    /its item cannot be changed/,
  );
  // What does not touch the delivery may still change: the description, a new line.
  expect(
    (await client.finance(path(1), { method: 'PATCH', ...json({ LineDescription: 'filter, fitted' }) }))
      .status,
  ).toBe(204);
  expect(
    (await client.finance('CDSSalesOrderLines', { method: 'POST', ...json(line('WO-1016', 3, 'P-1000')) }))
      .status,
  ).toBe(201);
  expect(await (await client.finance(path(3))).json()).toMatchObject({ SalesOrderLineStatus: 'Backorder' });
});

test('a posted free text invoice and its lines cannot be changed', async () => {
  const invoice = {
    ExternalInvoiceId: 'INV-00001',
    CustomerAccount: 'US-001',
    InvoiceDate: '2026-01-31T12:00:00Z',
    CurrencyCode: 'USD',
    InvoiceOriginType: 'AgreementInvoiceIntegration',
  };
  expect(
    (await client.finance('CDSFreeTextInvoiceHeaders', { method: 'POST', ...json(invoice) })).status,
  ).toBe(201);
  // InvoiceDate is a date field: F&O keeps the day, at midnight UTC.
  const header = await client.finance(
    `CDSFreeTextInvoiceHeaders(dataAreaId='usmf',ExternalInvoiceId='INV-00001')`,
  );
  expect(await header.json()).toMatchObject({ InvoiceDate: '2026-01-31T00:00:00Z' });
  const lineBody = {
    ExternalInvoiceId: 'INV-00001',
    LineNumber: 1,
    Description: 'Labor',
    Quantity: 2,
    UnitPrice: 95,
    TransactionCurrencyAmount: 190,
    MainAccountDisplayValue: '401100',
  };
  expect(
    (await client.finance('CDSFreeTextInvoiceLines', { method: 'POST', ...json(lineBody) })).status,
  ).toBe(201);
  const posted = await client.control('finance', 'free-text-invoices/usmf/INV-00001/post', {
    method: 'POST',
  });
  expect(posted.status).toBe(200);
  expect(await posted.json()).toMatchObject({
    IsPosted: 'Yes',
    InvoiceNumber: expect.stringMatching(/^FTI-\d{6}$/),
    TotalInvoiceAmount: 190,
  });
  await expectWriteFailure(
    await client.finance(`CDSFreeTextInvoiceHeaders(dataAreaId='usmf',ExternalInvoiceId='INV-00001')`, {
      method: 'PATCH',
      ...json({ InvoiceDescription: 'x' }),
    }),
    /has been posted and cannot be changed/,
  );
  await expectWriteFailure(
    await client.finance(
      `CDSFreeTextInvoiceLines(dataAreaId='usmf',ExternalInvoiceId='INV-00001',LineNumber=1)`,
      { method: 'PATCH', ...json({ Quantity: 3 }) },
    ),
    /has been posted/,
  );
  await expectWriteFailure(
    await client.finance('CDSFreeTextInvoiceLines', {
      method: 'POST',
      ...json({ ...lineBody, LineNumber: 2 }),
    }),
    /has been posted/,
  );
  expect(
    (await client.control('finance', 'free-text-invoices/usmf/INV-00001/post', { method: 'POST' })).status,
  ).toBe(409);
});

test('a product released through ReleasedProductsV2 is sellable and can go on a sales order line', async () => {
  const released = await client.finance('ReleasedProductsV2', {
    method: 'POST',
    ...json({
      ItemNumber: 'P-5000',
      ProductName: 'Thermostat',
      FieldServiceProductType: 'Inventory',
      SalesPrice: 80,
    }),
  });
  expect(released.status).toBe(201);
  const sellable = await client.finance(
    `SellableReleasedProducts(dataAreaId='usmf',ProductNumber='P-5000')?$select=ProductName`,
  );
  expect(await sellable.json()).toMatchObject({ ProductName: 'Thermostat' });
  await client.finance('CDSSalesOrderHeaders', { method: 'POST', ...json(header('WO-1006', 'US-001')) });
  expect(
    (await client.finance('CDSSalesOrderLines', { method: 'POST', ...json(line('WO-1006', 1, 'P-5000')) }))
      .status,
  ).toBe(201);
});

test('malformed bodies: bad JSON, unknown property, wrong type, unknown enum member, unknown company', async () => {
  const badJson = await client.finance('CustomersV3', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{',
  });
  expect(badJson.status).toBe(400);
  const unknown = await client.finance('CustomersV3', {
    method: 'POST',
    ...json({ CustomerAcount: 'typo' }),
  });
  expect(((await unknown.json()) as FinanceErrorBody).error.innererror.message).toMatch(
    /'CustomerAcount' does not exist/,
  );
  expect(
    (await client.finance('CustomersV3', { method: 'POST', ...json({ CreditLimit: 'lots' }) })).status,
  ).toBe(400);
  expect(
    (await client.finance('CustomersV3', { method: 'POST', ...json({ IsExternallyMaintained: 'Maybe' }) }))
      .status,
  ).toBe(400);
  await expectWriteFailure(
    await client.finance('CustomersV3', {
      method: 'POST',
      ...json({ dataAreaId: 'zzzz', CustomerAccount: 'Z' }),
    }),
    /Company zzzz does not exist/,
  );
  const numbered = await client.finance('CustomersV3', {
    method: 'POST',
    ...json({ OrganizationName: 'Auto numbered' }),
  });
  expect(await numbered.json()).toMatchObject({ CustomerAccount: expect.stringMatching(/^C-\d{6}$/) });
});
