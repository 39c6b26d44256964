import {
  FieldServiceProductType,
  releasedProducts,
  salesInvoiceHeaders,
  salesOrderHeaders,
  salesOrderLines,
} from '../../connectors/entities/finance';
import { FinanceClient } from '../../connectors/finance/finance-client';
import { ge, eq } from '../../connectors/odata/filter';
import { enumMember } from '../../connectors/odata/literals';
import type { FakeHandler } from './support/fake-http-server';
import { batchResponse, financeWriteFailure, httpResponse } from './support/microsoft-payloads';
import { startFakeTenant, type FakeTenant } from './support/fake-tenant';

const product = (number: string) => ({
  '@odata.etag': 'W/"JzEsNjg3MTk0Nzk4MzUn"',
  dataAreaId: 'usmf',
  ProductNumber: number,
  ProductName: `Product ${number}`,
  ProductDescription: '',
  FieldServiceProductType: 'Inventory',
  SalesUnitSymbol: 'ea',
});

const header = {
  '@odata.etag': 'W/"JzEsNTYzNzE0NzU3Nic="',
  dataAreaId: 'usmf',
  SalesOrderNumber: "WO-0042 O'Brien",
  OrderingCustomerAccountNumber: 'US-001',
  InvoiceCustomerAccountNumber: 'US-001',
  CurrencyCode: 'USD',
  ExternalWorkOrderStatus: 'OpenScheduled',
};

let tenant: FakeTenant;
let respond: FakeHandler;
let client: FinanceClient;

beforeEach(async () => {
  respond = () => ({ status: 500 });
  tenant = await startFakeTenant((request) => respond(request));
  client = new FinanceClient({ url: tenant.url, company: 'USMF', tokenProvider: tenant.tokenProvider() });
});

afterEach(() => tenant.close());

describe('FinanceClient against a fake shaped like the F&O OData service', () => {
  it('queries one company across pages with an enum literal and no in/has/$skip of its own', async () => {
    respond = (request) =>
      request.url.includes('$skip=')
        ? {
            status: 200,
            body: {
              '@odata.context': `${tenant.url}/data/$metadata#SellableReleasedProducts`,
              value: [product('D0003')],
            },
          }
        : {
            status: 200,
            body: {
              '@odata.context': `${tenant.url}/data/$metadata#SellableReleasedProducts`,
              value: [product('D0001'), product('D0002')],
              '@odata.nextLink': `${tenant.url}/data/SellableReleasedProducts?cross-company=true&$skip=2`,
            },
          };
    const numbers: string[] = [];
    for await (const record of client.query(releasedProducts, {
      filter: eq('FieldServiceProductType', enumMember(FieldServiceProductType, 'Inventory')),
      orderBy: ['ProductNumber'],
    })) {
      numbers.push(record.ProductNumber);
    }
    expect(numbers).toEqual(['D0001', 'D0002', 'D0003']);

    const [first, second] = tenant.apiRequests();
    const query = decodeURIComponent(first?.url ?? '');
    expect(query).toContain(
      "$filter=(dataAreaId eq 'usmf') and (FieldServiceProductType eq Microsoft.Dynamics.DataEntities.EcoResFieldServiceProductType'Inventory')",
    );
    expect(query).toContain('cross-company=true');
    expect(query).not.toMatch(/ in | has |\$skip/);
    expect(second?.url).toBe('/data/SellableReleasedProducts?cross-company=true&$skip=2');
    expect(first?.headers.authorization).toBe(`Bearer ${tenant.issuedTokens[0]}`);
  });

  it('addresses records by composite key with dataAreaId and an escaped string', async () => {
    respond = () => ({
      status: 200,
      body: {
        ...header,
        SalesOrderNumber: "WO-0042 O'Brien",
        LineCreationSequenceNumber: -3,
        ProductNumber: 'S0001',
        OrderedSalesQuantity: 1.5,
        SalesPrice: 80,
      },
    });
    const line = await client.retrieve(salesOrderLines, {
      SalesOrderNumber: "WO-0042 O'Brien",
      LineCreationSequenceNumber: -3,
    });
    expect(line.LineCreationSequenceNumber).toBe(-3);
    expect(decodeURIComponent(tenant.apiRequests()[0]?.url ?? '')).toMatch(
      /^\/data\/CDSSalesOrderLines\(dataAreaId='usmf',SalesOrderNumber='WO-0042 O''Brien',LineCreationSequenceNumber=-3\)\?cross-company=true$/,
    );
  });

  it('checks and types only the selected fields when a select is given', async () => {
    respond = () => ({ status: 200, body: { '@odata.etag': 'W/"JzEsMSc="', SalesOrderNumber: 'WO-1' } });
    const order = await client.retrieve(
      salesOrderHeaders,
      { SalesOrderNumber: 'WO-1' },
      { select: ['SalesOrderNumber'] },
    );
    const number: string = order.SalesOrderNumber;
    expect(number).toBe('WO-1');
    expect(decodeURIComponent(tenant.apiRequests()[0]?.url ?? '')).toContain('$select=SalesOrderNumber');

    respond = () => ({
      status: 200,
      body: { value: [{ SalesOrderNumber: 'WO-1', LineCreationSequenceNumber: 'one' }] },
    });
    const wrongType = await (async () => {
      for await (const line of client.query(salesOrderLines, { select: ['LineCreationSequenceNumber'] }))
        return line;
    })().catch((error: unknown) => error);
    expect(wrongType).toMatchObject({ kind: 'invalid-response' });
    expect((wrongType as Error).message).toContain('LineCreationSequenceNumber');
  });

  it('creates in the configured company', async () => {
    respond = (request) => ({
      status: 201,
      body: { ...JSON.parse(request.body), '@odata.etag': 'W/"JzEsMSc="' },
    });
    const { dataAreaId: _company, ...values } = header;
    const created = await client.create(salesOrderHeaders, values);
    expect(created.dataAreaId).toBe('usmf');
    expect(JSON.parse(tenant.apiRequests()[0]?.body ?? '')).toMatchObject({
      dataAreaId: 'usmf',
      SalesOrderNumber: "WO-0042 O'Brien",
    });
  });

  it('surfaces an X++ validation failure (Infolog) as a readable, non-retryable business rule', async () => {
    respond = () => ({
      status: 500,
      body: financeWriteFailure('CDSSalesOrderHeaders', 'Customer account US-999 does not exist.'),
    });
    const failure = await client
      .update(salesOrderHeaders, { SalesOrderNumber: 'WO-1' }, { InvoiceCustomerAccountNumber: 'US-999' })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      service: 'finance',
      kind: 'business-rule',
      retryable: false,
      status: 500,
    });
    expect((failure as Error).message).toContain('Infolog: Customer account US-999 does not exist.');
  });

  it('upserts: update first, create when the record is missing', async () => {
    respond = (request) =>
      request.method === 'PATCH'
        ? { status: 404, body: { error: { code: '', message: 'Resource not found for the segment' } } }
        : { status: 201, body: JSON.parse(request.body) };
    await expect(
      client.upsert(
        salesOrderHeaders,
        { SalesOrderNumber: 'WO-2' },
        {
          CurrencyCode: 'USD',
          OrderingCustomerAccountNumber: 'US-001',
          InvoiceCustomerAccountNumber: 'US-001',
        },
      ),
    ).resolves.toEqual({ created: true });
    const [patch, post] = tenant.apiRequests();
    expect(patch?.method).toBe('PATCH');
    expect(JSON.parse(post?.body ?? '')).toMatchObject({ SalesOrderNumber: 'WO-2', dataAreaId: 'usmf' });
  });

  it('reports a change set that rolled back inside a 200 batch', async () => {
    respond = () => ({
      status: 200,
      headers: {
        'content-type': 'multipart/mixed; boundary=batchresponse_2b7c6e1a-9c5d-4f1e-8a3b-6d0e9f1c2a4b',
      },
      body: batchResponse('batchresponse_2b7c6e1a-9c5d-4f1e-8a3b-6d0e9f1c2a4b', [
        {
          changeSet: 'changesetresponse_7d1e4c2b-0a9f-4e3d-b6c5-1f2a3b4c5d6e',
          parts: [
            httpResponse(
              'HTTP/1.1 500 Internal Server Error',
              ['Content-Type: application/json; odata.metadata=minimal', 'OData-Version: 4.0'],
              JSON.stringify(financeWriteFailure('CDSSalesOrderLines', 'Item number X-404 does not exist.')),
            ),
          ],
        },
      ]),
    });
    const failure = await client
      .batch([
        [
          client.createOperation(salesOrderHeaders, header),
          client.createOperation(salesOrderLines, {
            SalesOrderNumber: 'WO-1',
            LineCreationSequenceNumber: 1,
            ProductNumber: 'X-404',
          }),
        ],
      ])
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'business-rule', retryable: false });
    expect((failure as Error).message).toMatch(/change set rolled back.*Item number X-404 does not exist/);
    const body = tenant.apiRequests()[0]?.body ?? '';
    expect(body).toContain(`POST ${tenant.url}/data/CDSSalesOrderLines?cross-company=true HTTP/1.1`);
    expect(body).toContain('"dataAreaId":"usmf"');
  });

  it('counts matching records with /$count, in the company or across companies, without reading them', async () => {
    // F&O answers $count with a bare number; a byte order mark in front (as Dataverse sends) is tolerated.
    respond = (request) =>
      request.url.includes('dataAreaId')
        ? { status: 200, headers: { 'content-type': 'text/plain' }, body: '\uFEFF17' }
        : { status: 200, headers: { 'content-type': 'text/plain' }, body: '42' };
    const since = ge('InvoiceDate', new Date('2026-10-01T00:00:00Z'));
    expect(await client.count(salesInvoiceHeaders, since)).toBe(17);
    expect(await client.countAllCompanies(salesInvoiceHeaders, since)).toBe(42);

    const [inCompany, allCompanies] = tenant.apiRequests().map((request) => decodeURIComponent(request.url));
    expect(inCompany).toBe(
      "/data/SalesInvoiceHeadersV2/$count?$filter=(dataAreaId eq 'usmf') and (InvoiceDate ge 2026-10-01T00:00:00.000Z)&cross-company=true",
    );
    expect(allCompanies).toBe(
      '/data/SalesInvoiceHeadersV2/$count?$filter=InvoiceDate ge 2026-10-01T00:00:00.000Z&cross-company=true',
    );
    expect(tenant.apiRequests()[0]?.headers.accept).toBe('text/plain');

    respond = () => ({ status: 200, body: { value: [] } });
    await expect(client.count(salesInvoiceHeaders)).rejects.toMatchObject({
      kind: 'invalid-response',
      message: expect.stringContaining('not a count'),
    });
  });

  it('reads the lines back in the same $batch, after the change set, and follows their next link', async () => {
    const boundary = 'batchresponse_4e2c1a9b-7d3f-4b6e-9a1c-2f3e4d5c6b7a';
    const line = (number: number, amount: number) => ({
      '@odata.etag': 'W/"JzEsMSc="',
      dataAreaId: 'usmf',
      SalesOrderNumber: 'WO-7',
      LineCreationSequenceNumber: number,
      LineAmount: amount,
    });
    respond = (request) =>
      request.url.startsWith('/data/$batch')
        ? {
            status: 200,
            headers: { 'content-type': `multipart/mixed; boundary=${boundary}` },
            body: batchResponse(boundary, [
              {
                changeSet: 'changesetresponse_0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
                parts: [
                  httpResponse('HTTP/1.1 204 No Content', ['OData-Version: 4.0']),
                  httpResponse('HTTP/1.1 204 No Content', ['OData-Version: 4.0']),
                ],
              },
              httpResponse(
                'HTTP/1.1 200 OK',
                ['Content-Type: application/json; odata.metadata=minimal', 'OData-Version: 4.0'],
                JSON.stringify({
                  value: [line(1, 30)],
                  '@odata.nextLink': `${tenant.url}/data/CDSSalesOrderLines?cross-company=true&$skip=1`,
                }),
              ),
            ]),
          }
        : { status: 200, body: { value: [line(2, 80)] } };

    const lines = await client.batchThenQuery(
      [
        [
          client.updateOperation(salesOrderHeaders, { SalesOrderNumber: 'WO-7' }, { CurrencyCode: 'USD' }),
          {
            method: 'DELETE',
            path: client.recordPath(salesOrderLines, {
              SalesOrderNumber: 'WO-7',
              LineCreationSequenceNumber: 3,
            }),
          },
        ],
      ],
      salesOrderLines,
      { filter: eq('SalesOrderNumber', 'WO-7'), select: ['LineCreationSequenceNumber', 'LineAmount'] },
    );
    expect(lines.map((l) => [l.LineCreationSequenceNumber, l.LineAmount])).toEqual([
      [1, 30],
      [2, 80],
    ]);
    const [batch, nextPage] = tenant.apiRequests();
    const body = batch?.body ?? '';
    // The GET is a part of its own after the change set: GET is not allowed inside one.
    const changeSetEnd = body.search(/--changeset_[\w-]+--/);
    const get = body.indexOf(`GET ${tenant.url}/data/CDSSalesOrderLines?`);
    expect(changeSetEnd).toBeGreaterThan(0);
    expect(get).toBeGreaterThan(changeSetEnd);
    expect(decodeURIComponent(body.slice(get, body.indexOf('HTTP/1.1', get)))).toContain(
      "$filter=(dataAreaId eq 'usmf') and (SalesOrderNumber eq 'WO-7')",
    );
    expect(nextPage?.url).toBe('/data/CDSSalesOrderLines?cross-company=true&$skip=1');
  });

  it('throws the change set failure of a batch with a read, and drops the read', async () => {
    const boundary = 'batchresponse_5f3d2b0c-8e4a-4c7f-8b2d-3a4b5c6d7e8f';
    respond = () => ({
      status: 200,
      headers: { 'content-type': `multipart/mixed; boundary=${boundary}` },
      body: batchResponse(boundary, [
        {
          changeSet: 'changesetresponse_1d2e3f4a-5b6c-4d7e-9f8a-0b1c2d3e4f5a',
          parts: [
            httpResponse(
              'HTTP/1.1 500 Internal Server Error',
              ['Content-Type: application/json; odata.metadata=minimal', 'OData-Version: 4.0'],
              JSON.stringify(financeWriteFailure('CDSSalesOrderLines', 'Item number X-404 does not exist.')),
            ),
          ],
        },
        httpResponse('HTTP/1.1 200 OK', ['Content-Type: application/json'], JSON.stringify({ value: [] })),
      ]),
    });
    const failure = await client
      .batchThenQuery(
        [[client.createOperation(salesOrderLines, { SalesOrderNumber: 'WO-8', ProductNumber: 'X-404' })]],
        salesOrderLines,
      )
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'business-rule', retryable: false });
    expect((failure as Error).message).toMatch(/change set rolled back.*Item number X-404 does not exist/);
  });
  it('reports a throttled read after the change set as retryable, naming the read', async () => {
    const boundary = 'batchresponse_6a4e3c1d-9f5b-4d8a-9c3e-4b5c6d7e8f9a';
    respond = () => ({
      status: 200,
      headers: { 'content-type': `multipart/mixed; boundary=${boundary}` },
      body: batchResponse(boundary, [
        {
          changeSet: 'changesetresponse_2e3f4a5b-6c7d-4e8f-8a9b-1c2d3e4f5a6b',
          parts: [httpResponse('HTTP/1.1 204 No Content', ['OData-Version: 4.0'])],
        },
        httpResponse('HTTP/1.1 429 Too Many Requests', ['Retry-After: 7']),
      ]),
    });
    const failure = await client
      .batchThenQuery(
        [[client.updateOperation(salesOrderHeaders, { SalesOrderNumber: 'WO-9' }, { CurrencyCode: 'USD' })]],
        salesOrderLines,
      )
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ retryable: true, retryAfterMs: 7000 });
    expect((failure as Error).message).toContain('GET after the change sets');
  });
});
