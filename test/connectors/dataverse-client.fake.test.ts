import { randomUUID } from 'node:crypto';
import { Secret } from '../../config/secret';
import { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { formattedValue, lookupReference } from '../../connectors/dataverse/annotations';
import { invoices, workOrders, WorkOrderSystemStatus } from '../../connectors/entities/dataverse';
import { D365Error } from '../../connectors/errors';
import { and, eq, ne } from '../../connectors/odata/filter';
import type { FakeHandler, FakeResponse } from './support/fake-http-server';
import {
  batchResponse,
  dataverse412,
  dataverse429,
  dataverseNextLink,
  dataversePluginError,
  httpResponse,
} from './support/microsoft-payloads';
import { startFakeTenant, type FakeTenant } from './support/fake-tenant';

const API = '/api/data/v9.2/';

const workOrderRow = (number: string, status: number = WorkOrderSystemStatus.OpenScheduled) => ({
  '@odata.etag': `W/"${Math.floor(Math.random() * 1e6)}"`,
  msdyn_workorderid: randomUUID(),
  msdyn_name: number,
  msdyn_systemstatus: status,
  'msdyn_systemstatus@OData.Community.Display.V1.FormattedValue': 'Open - Scheduled',
  msdynce_hasexternallymaintainedproductsonly: true,
  _msdyn_serviceaccount_value: randomUUID(),
  _msdyn_billingaccount_value: null,
  _transactioncurrencyid_value: randomUUID(),
});

let tenant: FakeTenant;
let respond: FakeHandler;
let client: DataverseClient;

beforeEach(async () => {
  respond = () => ({ status: 500 });
  tenant = await startFakeTenant((request) => respond(request));
  client = new DataverseClient({ url: tenant.url, tokenProvider: tenant.tokenProvider(), pageSize: 2 });
});

afterEach(() => tenant.close());

const decodedQuery = (url: string) => decodeURIComponent(url.slice(url.indexOf('?') + 1));

describe('DataverseClient against a fake shaped like the Microsoft docs', () => {
  it('pages through @odata.nextLink lazily, following the link byte for byte', async () => {
    const root = `${tenant.url}${API}`;
    const query = `msdyn_workorders?$select=msdyn_name`;
    const nextLink = dataverseNextLink(root, query, 2);
    respond = (request) => {
      if (request.url.includes('$skiptoken')) {
        return {
          status: 200,
          body: { '@odata.context': `${root}$metadata#msdyn_workorders`, value: [workOrderRow('WO-3')] },
        };
      }
      return {
        status: 200,
        headers: { 'preference-applied': 'odata.maxpagesize=2' },
        body: {
          '@odata.context': `${root}$metadata#msdyn_workorders`,
          value: [workOrderRow('WO-1'), workOrderRow('WO-2')],
          '@odata.nextLink': nextLink,
        },
      };
    };

    const rows = client.query(workOrders, {
      filter: ne('msdyn_systemstatus', WorkOrderSystemStatus.ClosedCanceled),
    });
    const first = await rows.next();
    expect(first.value).toMatchObject({ msdyn_name: 'WO-1' });
    expect(tenant.apiRequests()).toHaveLength(1); // the second page is not fetched before it is needed

    const rest: string[] = [];
    for await (const row of rows) rest.push(row.msdyn_name);
    expect(rest).toEqual(['WO-2', 'WO-3']);

    const [page1, page2] = tenant.apiRequests();
    expect(page1?.headers).toMatchObject({
      accept: 'application/json',
      'odata-maxversion': '4.0',
      'odata-version': '4.0',
      'if-none-match': 'null',
      prefer: 'odata.maxpagesize=2,odata.include-annotations="*"',
      authorization: `Bearer ${tenant.issuedTokens[0]}`,
    });
    expect(decodedQuery(page1?.url ?? '')).toContain('$filter=msdyn_systemstatus ne 690970005');
    expect(`${tenant.url}${page2?.url}`).toBe(nextLink);
    expect(page2?.headers.prefer).toBe(page1?.headers.prefer);
    expect(tenant.tokenRequests()).toHaveLength(1); // the token is cached
  });

  it('escapes quotes and percent-encodes non-ASCII characters in filters and keys', async () => {
    const number = "WO-0042 O'Brien — Zürich";
    respond = () => ({ status: 200, body: { value: [workOrderRow(number)] } });

    const rows = [];
    for await (const row of client.query(workOrders, {
      filter: and(eq('msdyn_name', number), ne('msdyn_systemstatus', WorkOrderSystemStatus.OpenUnscheduled)),
    })) {
      rows.push(row);
    }
    const url = tenant.apiRequests()[0]?.url ?? '';
    expect(url).not.toMatch(/[^\x21-\x7e]/); // nothing but printable ASCII on the wire
    expect(url).not.toContain('+');
    expect(url).toContain('%C3%BC'); // ü as UTF-8
    expect(decodedQuery(url)).toContain(
      "$filter=(msdyn_name eq 'WO-0042 O''Brien — Zürich') and (msdyn_systemstatus ne 690970000)",
    );

    respond = () => ({ status: 200, body: workOrderRow(number) });
    await client.retrieve(workOrders, { msdyn_name: number });
    const keyUrl = tenant.apiRequests()[1]?.url ?? '';
    expect(decodeURIComponent(keyUrl.split('?')[0] ?? '')).toBe(
      `${API}msdyn_workorders(msdyn_name='WO-0042 O''Brien — Zürich')`,
    );
  });

  it('reads formatted values and lookup annotations', async () => {
    const invoiceId = randomUUID();
    const contactId = randomUUID();
    respond = () => ({
      status: 200,
      body: {
        '@odata.context': `${tenant.url}${API}$metadata#invoices(invoicenumber,_customerid_value)/$entity`,
        '@odata.etag': 'W/"68872411"',
        invoiceid: invoiceId,
        invoicenumber: 'INV-01001-Q5T8B3',
        '_customerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty': 'customerid_contact',
        '_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'contact',
        '_customerid_value@OData.Community.Display.V1.FormattedValue': 'Susanna Stubberod (sample)',
        _customerid_value: contactId,
        'totalamount@OData.Community.Display.V1.FormattedValue': '$20,000.00',
        totalamount: 20000.0,
      },
    });
    const invoice = await client.retrieve(invoices, invoiceId);
    expect(lookupReference(invoice, 'customerid')).toEqual({
      id: contactId,
      logicalName: 'contact',
      name: 'Susanna Stubberod (sample)',
      navigationProperty: 'customerid_contact',
    });
    expect(formattedValue(invoice, 'totalamount')).toBe('$20,000.00');
    expect(tenant.apiRequests()[0]?.url).toMatch(
      new RegExp(`^${API.replaceAll('/', '\\/')}invoices\\(${invoiceId}\\)\\?\\$select=`),
    );
  });

  it('updates with If-Match and reports a 412 as a non-retryable precondition failure', async () => {
    const id = randomUUID();
    respond = () => ({
      status: 412,
      headers: { req_id: 'c0ffee00-1111-2222-3333-444455556666' },
      body: dataverse412,
    });
    const failure = await client
      .update(workOrders, id, { msdyn_systemstatus: WorkOrderSystemStatus.OpenCompleted }, 'W/"470867"')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(D365Error);
    expect(failure).toMatchObject({
      kind: 'precondition-failed',
      status: 412,
      retryable: false,
      requestId: 'c0ffee00-1111-2222-3333-444455556666',
    });
    expect((failure as D365Error).message).toContain("doesn't match the RowVersion property provided");
    expect(tenant.apiRequests()[0]?.headers['if-match']).toBe('W/"470867"');
    expect(tenant.apiRequests()[0]?.method).toBe('PATCH');
  });

  it('reports a 429 with its Retry-After as a delay and does not retry by itself', async () => {
    respond = () => ({ status: 429, headers: { 'retry-after': '7' }, body: dataverse429 });
    const failure = await client.retrieve(workOrders, randomUUID()).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      kind: 'throttled',
      retryable: true,
      retryAfterMs: 7000,
      code: '0x80072322',
    });
    expect(tenant.apiRequests()).toHaveLength(1);
  });

  it('surfaces a plug-in (business rule) error readably and non-retryable', async () => {
    respond = () => ({
      status: 400,
      body: dataversePluginError('A work order needs a service account before it can be scheduled.'),
    });
    const failure = await client.create(workOrders, { msdyn_name: 'WO-9' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'business-rule', retryable: false });
    expect((failure as Error).message).toBe(
      'Dataverse POST msdyn_workorders: A work order needs a service account before it can be scheduled. (HTTP 400, code 0x80040265)',
    );
  });

  it('on 401 fetches a fresh token once and retries once; a second 401 is an authentication error', async () => {
    let calls = 0;
    respond = (request): FakeResponse => {
      calls++;
      const current = tenant.issuedTokens.at(-1);
      return request.headers.authorization === `Bearer ${current}` && tenant.issuedTokens.length > 1
        ? { status: 200, body: workOrderRow('WO-7') }
        : {
            status: 401,
            body: { error: { code: '0x80072560', message: 'The user is not a member of the organization.' } },
          };
    };
    await expect(client.retrieve(workOrders, randomUUID())).resolves.toMatchObject({ msdyn_name: 'WO-7' });
    expect(calls).toBe(2);
    expect(tenant.tokenRequests()).toHaveLength(2);

    respond = () => ({ status: 401, body: { error: { code: '', message: 'Unauthorized' } } });
    const failure = await client.retrieve(workOrders, randomUUID()).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'authentication', retryable: false, status: 401 });
    expect(calls).toBe(2);
    expect(tenant.apiRequests()).toHaveLength(4);
  });

  it('creates with return=representation and tells an upsert create from an update', async () => {
    respond = (request) => ({ status: request.method === 'POST' ? 201 : 200, body: workOrderRow('WO-11') });
    await expect(client.create(workOrders, { msdyn_name: 'WO-11' })).resolves.toMatchObject({
      msdyn_name: 'WO-11',
    });
    expect(tenant.apiRequests()[0]?.headers.prefer).toContain('return=representation');

    await expect(
      client.upsert(workOrders, { msdyn_name: 'WO-11' }, { msdyn_name: 'WO-11', msdyn_city: 'Bergen' }),
    ).resolves.toMatchObject({
      created: false,
    });
    const upsert = tenant.apiRequests()[1];
    expect(upsert?.method).toBe('PATCH');
    expect(upsert?.headers['if-match']).toBeUndefined();
    expect(JSON.parse(upsert?.body ?? '')).toEqual({ msdyn_city: 'Bergen' }); // key values travel in the URL only

    respond = () => ({ status: 201, body: workOrderRow('WO-12') });
    await expect(client.upsert(workOrders, { msdyn_name: 'WO-12' }, {})).resolves.toMatchObject({
      created: true,
    });
  });

  it('sends a change set as multipart and reports the operation that rolled it back', async () => {
    respond = () => ({
      status: 400,
      headers: {
        'content-type': 'multipart/mixed; boundary=batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a',
      },
      body: batchResponse(
        'batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a',
        [
          httpResponse(
            'HTTP/1.1 400 Bad Request',
            [
              'REQ_ID: 5ecd1cb3-1730-4ffc-909c-d44c22270026',
              'Content-Type: application/json; odata.metadata=minimal',
              'OData-Version: 4.0',
            ],
            JSON.stringify({
              error: {
                code: '0x80044331',
                message:
                  "A validation error occurred.  The length of the 'msdyn_name' attribute of the 'msdyn_workorder' entity exceeded the maximum allowed length of '100'.",
              },
            }),
          ),
        ],
        '\n',
      ),
    });
    const id = randomUUID();
    const failure = await client
      .batch([
        [
          client.createOperation(workOrders, { msdyn_name: 'x'.repeat(101) }),
          client.updateOperation(workOrders, id, { msdyn_city: 'Oslo' }, 'W/"1"'),
        ],
      ])
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      kind: 'bad-request',
      status: 400,
      code: '0x80044331',
      requestId: '5ecd1cb3-1730-4ffc-909c-d44c22270026',
    });
    expect((failure as Error).message).toContain('change set rolled back');
    expect((failure as Error).message).toContain("exceeded the maximum allowed length of '100'");

    const sent = tenant.apiRequests()[0];
    expect(sent?.url).toBe(`${API}$batch`);
    const boundary = /boundary=(batch_[\w-]+)/.exec(String(sent?.headers['content-type']))?.[1];
    expect(sent?.body.startsWith(`--${boundary}\r\nContent-Type: multipart/mixed; boundary=changeset_`)).toBe(
      true,
    );
    expect(sent?.body).toContain(
      `Content-ID: 1\r\n\r\nPOST ${tenant.url}${API}msdyn_workorders HTTP/1.1\r\n`,
    );
    expect(sent?.body).toContain(
      `Content-ID: 2\r\n\r\nPATCH ${tenant.url}${API}msdyn_workorders(${id}) HTTP/1.1\r\nIf-Match: W/"1"\r\n`,
    );
    expect(sent?.body.trimEnd().endsWith(`--${boundary}--`)).toBe(true);
  });

  it('returns every inner response of a successful change set', async () => {
    const created = randomUUID();
    respond = () => ({
      status: 200,
      headers: {
        'content-type': 'multipart/mixed; boundary=batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f',
      },
      body: batchResponse('batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f', [
        {
          changeSet: 'changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15',
          parts: [
            httpResponse('HTTP/1.1 204 No Content', [
              'OData-Version: 4.0',
              `Location: ${tenant.url}${API}msdyn_workorders(${created})`,
              `OData-EntityId: ${tenant.url}${API}msdyn_workorders(${created})`,
            ]),
            httpResponse('HTTP/1.1 204 No Content', ['OData-Version: 4.0']),
          ],
        },
      ]),
    });
    const parts = await client.batch([
      [
        client.createOperation(workOrders, { msdyn_name: 'WO-20' }),
        { method: 'PATCH', path: '$1', body: { msdyn_city: 'Oslo' } },
      ],
    ]);
    expect(parts).toEqual([
      expect.objectContaining({
        contentId: '1',
        status: 204,
        headers: expect.objectContaining({
          'odata-entityid': `${tenant.url}${API}msdyn_workorders(${created})`,
        }),
      }),
      expect.objectContaining({ contentId: '2', status: 204 }),
    ]);
    expect(tenant.apiRequests()[0]?.body).toContain('PATCH $1 HTTP/1.1');
  });

  it('reports a refused token request as an authentication error and sends nothing to the service', async () => {
    const unregistered = { ...tenant.credentials, clientId: '0c11e700-0000-4000-8000-0000000000ff' };
    const stranger = new DataverseClient({
      url: tenant.url,
      tokenProvider: tenant.tokenProvider({ ...unregistered, clientSecret: new Secret('not-the-secret') }),
    });
    const failure = await stranger.retrieve(workOrders, randomUUID()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(D365Error);
    expect(failure).toMatchObject({
      service: 'entra',
      kind: 'authentication',
      code: 'invalid_client',
      retryable: false,
    });
    expect(tenant.apiRequests()).toHaveLength(0);
  });

  it('reports a timeout and a refused connection as retryable, without retrying', async () => {
    respond = () =>
      new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: workOrderRow('late') }), 500));
    const impatient = new DataverseClient({
      url: tenant.url,
      tokenProvider: tenant.tokenProvider(),
      timeoutMs: 100,
    });
    const timeout = await impatient.retrieve(workOrders, randomUUID()).catch((error: unknown) => error);
    expect(timeout).toMatchObject({ kind: 'timeout', retryable: true });
    expect(tenant.apiRequests()).toHaveLength(1);

    const nowhere = new DataverseClient({
      url: 'http://127.0.0.1:9',
      tokenProvider: { getToken: async () => 'token' },
    });
    const refused = await nowhere.retrieve(workOrders, randomUUID()).catch((error: unknown) => error);
    expect(refused).toMatchObject({ kind: 'network', retryable: true, code: 'ECONNREFUSED' });
  });

  it('refuses to follow a next link to another host with the token', async () => {
    respond = () => ({
      status: 200,
      body: {
        value: [workOrderRow('WO-1')],
        '@odata.nextLink': 'https://attacker.example/api/data/v9.2/msdyn_workorders?$skiptoken=1',
      },
    });
    const names: string[] = [];
    const failure = await (async () => {
      for await (const row of client.query(workOrders)) names.push(row.msdyn_name);
    })().catch((error: unknown) => error);
    expect(names).toEqual(['WO-1']);
    expect(failure).toMatchObject({ kind: 'invalid-response' });
    expect(tenant.apiRequests()).toHaveLength(1);
  });
});
