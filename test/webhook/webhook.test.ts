import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createWebhookServer } from '../../client/webhook/server';
import { selectedWorkOrderLookup } from '../../client/webhook/work-order-lookup';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import type { Config } from '../../config/config';
import { Secret } from '../../config/secret';
import { workOrders, WorkOrderSystemStatus } from '../../connectors/entities/dataverse';
import { eq } from '../../connectors/odata/filter';
import { loadMappingProject } from '../../mappings/project/loader';
import { freePort } from '../support/ports';
import { connectToTestServer, uniqueTaskQueue } from '../support/temporal';
import { signalInputs, signalsOf, startSandboxStack, type SandboxStack } from '../watchers/support/stack';
import { connectorCatalog } from '../../connectors/entities/catalog';

const KEY = 'webhook-key-0123456789abcdef';

let env: TestWorkflowEnvironment;
let stack: SandboxStack;
let config: Config;
let server: Server;
let baseUrl: string;
const logged: string[] = [];

beforeAll(async () => {
  env = await connectToTestServer();
  stack = await startSandboxStack('webhook');
  // No worker polls this queue: each workflow stays as the webhook left it, its history shows every signal.
  config = {
    ...stack.config,
    temporal: { ...stack.config.temporal, taskQueue: uniqueTaskQueue('unpolled-webhook') },
    webhook: { port: 0, secret: new Secret(KEY) },
  };
  server = createWebhookServer({
    client: env.client,
    config,
    dataverse: stack.connectors.dataverse,
    selectedWorkOrder: selectedWorkOrderLookup(
      stack.connectors.dataverse,
      loadMappingProject(config.mappingProject, connectorCatalog()),
    ),
    log: (line) => logged.push(line),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
  await env?.teardown();
});

async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = { 'x-fsfo-webhook-key': KEY },
) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The GET requests to msdyn_workorders the Dataverse sandbox has answered. */
async function workOrderReads(): Promise<number> {
  const response = await fetch(`${stack.sandboxes.urls.dataverse}/_sandbox/stats`);
  const { requests } = (await response.json()) as {
    requests: { method: string; entitySet: string; count: number }[];
  };
  return requests
    .filter((entry) => entry.method === 'GET' && entry.entitySet === 'msdyn_workorders')
    .reduce((sum, entry) => sum + entry.count, 0);
}

const newNumber = () => `WO-${randomUUID().slice(0, 8)}`;
const handle = (number: string) => env.client.workflow.getHandle(workOrderWorkflowId(number));
const workOrdersPath = '/webhooks/dataverse/work-orders';
const eventsPath = '/webhooks/fno/business-events';

/** A Dataverse webhook body as a step on msdyn_workorder Update posts it. */
function remoteExecutionContext(
  id: string,
  attributes: Record<string, unknown>,
  postImage?: Record<string, unknown>,
) {
  const entity = (values: Record<string, unknown>) => ({
    __type: 'Entity:http://schemas.microsoft.com/xrm/2011/Contracts',
    Attributes: Object.entries(values).map(([key, value]) => ({ key, value })),
    EntityState: null,
    FormattedValues: [],
    Id: id,
    KeyAttributes: [],
    LogicalName: 'msdyn_workorder',
    RelatedEntities: [],
    RowVersion: '1234567',
  });
  return {
    BusinessUnitId: randomUUID(),
    CorrelationId: randomUUID(),
    Depth: 1,
    InitiatingUserId: randomUUID(),
    InputParameters: [{ key: 'Target', value: entity(attributes) }],
    IsExecutingOffline: false,
    MessageName: 'Update',
    Mode: 1,
    OperationCreatedOn: '/Date(1764100000000+0000)/',
    OrganizationName: 'contoso',
    OutputParameters: [],
    PostEntityImages: postImage ? [{ key: 'PostImage', value: entity(postImage) }] : [],
    PreEntityImages: [],
    PrimaryEntityId: id,
    PrimaryEntityName: 'msdyn_workorder',
    Stage: 40,
    UserId: randomUUID(),
  };
}

function invoicePostedEvent(salesOrderId: string, invoiceId: string) {
  return {
    BusinessEventId: 'SalesInvoicePostedBusinessEvent',
    BusinessEventLegalEntity: 'USMF',
    ControlNumber: 5637144576,
    EventId: randomUUID().toUpperCase(),
    EventTime: '/Date(1764100000000)/',
    EventTimeIso8601: '2025-11-25T19:46:40Z',
    MajorVersion: 0,
    MinorVersion: 0,
    InvoiceAccount: 'US-001',
    InvoiceId: invoiceId,
    SalesOrderId: salesOrderId,
    InvoiceDate: '/Date(1764028800000)/',
    InvoiceAmountInAccountingCurrency: 500,
    LegalEntity: 'USMF',
  };
}

describe('Dataverse and Power Automate work order events', () => {
  test('a Power Automate body starts the workflow; the same event again starts no second one', async () => {
    const number = newNumber();
    await stack.createWorkOrder(number);
    const first = await post(workOrdersPath, { workOrderNumber: number });
    expect(first).toEqual({
      status: 202,
      body: { workOrderNumber: number, workflowId: `work-order-${number}`, outcome: 'started-or-signalled' },
    });
    const { runId } = await handle(number).describe();
    expect((await post(workOrdersPath, { workOrderNumber: number })).status).toBe(202);
    expect((await handle(number).describe()).runId).toBe(runId);
    expect(await signalsOf(handle(number))).toEqual(['workOrderChanged', 'workOrderChanged']);
  });

  test("a RemoteExecutionContext names the work order in the Target's or the post image's attributes", async () => {
    const [inTarget, inImage] = [newNumber(), newNumber()];
    await stack.createWorkOrder(inTarget);
    await stack.createWorkOrder(inImage);
    const id = randomUUID();
    expect((await post(workOrdersPath, remoteExecutionContext(id, { msdyn_name: inTarget }))).status).toBe(
      202,
    );
    const fromImage = remoteExecutionContext(id, { msdyn_address1: 'x' }, { msdyn_name: inImage });
    expect((await post(workOrdersPath, fromImage)).body.workOrderNumber).toBe(inImage);
    expect(await signalsOf(handle(inTarget))).toEqual(['workOrderChanged']);
    expect(await signalsOf(handle(inImage))).toEqual(['workOrderChanged']);
  });

  test('without msdyn_name in the body, the number is looked up in Field Service by PrimaryEntityId', async () => {
    const number = newNumber();
    await stack.createWorkOrder(number);
    let id = '';
    for await (const row of stack.connectors.dataverse.query(workOrders, {
      filter: eq('msdyn_name', number),
    })) {
      id = row.msdyn_workorderid;
    }
    const response = await post(workOrdersPath, remoteExecutionContext(id, { msdyn_address1: 'moved' }));
    expect(response).toMatchObject({ status: 202, body: { workOrderNumber: number } });
    expect(await signalsOf(handle(number))).toEqual(['workOrderChanged']);

    const unknown = await post(workOrdersPath, remoteExecutionContext(randomUUID(), {}));
    expect(unknown).toMatchObject({ status: 202, body: { outcome: 'not-selected' } });
  });

  test("a post image with the work order's number, status, version and modifiedon signals its running workflow without reading Field Service", async () => {
    const number = newNumber();
    await stack.createWorkOrder(number);
    await post(workOrdersPath, { workOrderNumber: number });
    const written = {
      msdyn_name: number,
      msdyn_systemstatus: {
        __type: 'OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts',
        Value: WorkOrderSystemStatus.ClosedPosted,
      },
      versionnumber: 4711,
      modifiedon: '/Date(1764100000000)/',
    };
    const readsBefore = await workOrderReads();
    const response = await post(
      workOrdersPath,
      remoteExecutionContext(randomUUID(), { msdyn_systemstatus: written.msdyn_systemstatus }, written),
    );
    expect(response).toEqual({
      status: 202,
      body: { workOrderNumber: number, workflowId: `work-order-${number}`, outcome: 'signalled' },
    });
    expect(await workOrderReads()).toBe(readsBefore);
    expect((await signalInputs(env.client, handle(number), 'workOrderChanged')).at(-1)).toEqual({
      etag: 'W/"4711"',
      modifiedOn: '2025-11-25T19:46:40.000Z',
    });

    // No workflow yet: whether one starts is the filter's to say, which reads the work order.
    const unscheduled = newNumber();
    await stack.createWorkOrder(unscheduled, WorkOrderSystemStatus.OpenUnscheduled);
    const notSelected = await post(
      workOrdersPath,
      remoteExecutionContext(randomUUID(), {}, { ...written, msdyn_name: unscheduled }),
    );
    expect(notSelected.body).toMatchObject({ outcome: 'not-selected' });
    expect(await workOrderReads()).toBe(readsBefore + 1);
    await expect(handle(unscheduled).describe()).rejects.toThrow(WorkflowNotFoundError);
  });

  test('Field Service unavailable: 503, so Dataverse delivers the event again later', async () => {
    const number = newNumber();
    await stack.createWorkOrder(number);
    const faults = (settings: object) =>
      fetch(`${stack.sandboxes.urls.dataverse}/_sandbox/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(settings),
      });
    await faults({ serverErrorRate: 1 });
    try {
      expect(await post(workOrdersPath, { workOrderNumber: number })).toEqual({
        status: 503,
        body: { error: 'Field Service is unavailable; retry later' },
      });
    } finally {
      await faults({});
    }
    await expect(handle(number).describe()).rejects.toThrow(WorkflowNotFoundError);
    expect(logged.at(-1)).toMatch(new RegExp(`^POST ${workOrdersPath} 503: .+`));
  });

  test("a work order the mapping project's filter leaves out (unscheduled) starts nothing", async () => {
    const number = newNumber();
    await stack.createWorkOrder(number, WorkOrderSystemStatus.OpenUnscheduled);
    expect(await post(workOrdersPath, { workOrderNumber: number })).toEqual({
      status: 202,
      body: { outcome: 'not-selected', reason: "the mapping project's work order filter does not select it" },
    });
    await expect(handle(number).describe()).rejects.toThrow(WorkflowNotFoundError);
  });

  test('a cancelled work order only signals a running workflow, and never starts one', async () => {
    const [running, neverStarted] = [newNumber(), newNumber()];
    await stack.createWorkOrder(running);
    await post(workOrdersPath, { workOrderNumber: running });
    for await (const row of stack.connectors.dataverse.query(workOrders, {
      filter: eq('msdyn_name', running),
    })) {
      const canceled = { msdyn_systemstatus: WorkOrderSystemStatus.ClosedCanceled };
      await stack.connectors.dataverse.update(workOrders, row.msdyn_workorderid, canceled, '*');
    }
    await stack.createWorkOrder(neverStarted, WorkOrderSystemStatus.ClosedCanceled);

    expect(await post(workOrdersPath, { workOrderNumber: running })).toEqual({
      status: 202,
      body: { workOrderNumber: running, workflowId: `work-order-${running}`, outcome: 'signalled' },
    });
    expect(await signalsOf(handle(running))).toEqual(['workOrderChanged', 'workOrderChanged']);
    expect(await post(workOrdersPath, { workOrderNumber: neverStarted })).toEqual({
      status: 202,
      body: {
        workOrderNumber: neverStarted,
        workflowId: `work-order-${neverStarted}`,
        outcome: 'no-workflow',
      },
    });
    await expect(handle(neverStarted).describe()).rejects.toThrow(WorkflowNotFoundError);
  });

  test('a malformed body gets 400 with a readable message and starts nothing', async () => {
    const number = newNumber();
    const extra = await post(workOrdersPath, { workOrderNumber: number, priority: 'high' });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatch(/Unrecognized key: "priority"/);
    await expect(handle(number).describe()).rejects.toThrow(WorkflowNotFoundError);

    const wrongTable = await post(workOrdersPath, {
      ...remoteExecutionContext(randomUUID(), {}),
      PrimaryEntityName: 'account',
    });
    expect(wrongTable.status).toBe(400);
    expect(wrongTable.body.error).toMatch(/registered on the msdyn_workorder table/);

    expect(await post(workOrdersPath, '{"workOrderNumber":')).toEqual({
      status: 400,
      body: { error: 'the body is not JSON' },
    });
  });

  test('a lone surrogate in the work order number gets 400, not a 500 Dataverse would retry forever', async () => {
    const refused = await post(workOrdersPath, '{"workOrderNumber":"WO-\\ud800"}');
    expect(refused).toEqual({
      status: 400,
      body: { error: 'the body holds a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair)' },
    });
    expect(logged.at(-1)).toBe(`POST ${workOrdersPath} 400: ${String(refused.body.error)}`);
  });

  test('a body that is not application/json gets 415, logged with its reason, and starts nothing', async () => {
    const number = newNumber();
    await stack.createWorkOrder(number);
    // A web page can post text/plain to a loopback address without a CORS preflight.
    const plain = { 'x-fsfo-webhook-key': KEY, 'content-type': 'text/plain' };
    const refused = await post(workOrdersPath, { workOrderNumber: number }, plain);
    expect(refused).toEqual({
      status: 415,
      body: { error: 'the body must be sent as Content-Type: application/json (UTF-8)' },
    });
    expect(logged.at(-1)).toBe(
      `POST ${workOrdersPath} 415: the body must be sent as Content-Type: application/json (UTF-8)`,
    );
    const latin1 = { 'x-fsfo-webhook-key': KEY, 'content-type': 'application/json; charset=iso-8859-1' };
    expect((await post(workOrdersPath, { workOrderNumber: number }, latin1)).status).toBe(415);
    await expect(handle(number).describe()).rejects.toThrow(WorkflowNotFoundError);

    const utf8 = { 'x-fsfo-webhook-key': KEY, 'content-type': 'Application/JSON; charset=UTF-8' };
    expect((await post(workOrdersPath, { workOrderNumber: number }, utf8)).status).toBe(202);
  });

  test('Temporal unavailable: 503 with Retry-After, so Dataverse delivers the event again later', async () => {
    const number = newNumber();
    await stack.createWorkOrder(number);
    // Nothing listens on the port; no retry interceptor, so the refused connection surfaces at once.
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, interceptors: [] });
    const down = createWebhookServer({
      client: new Client({ connection }),
      config,
      dataverse: stack.connectors.dataverse,
      selectedWorkOrder: selectedWorkOrderLookup(
        stack.connectors.dataverse,
        loadMappingProject(config.mappingProject, connectorCatalog()),
      ),
      log: (line) => logged.push(line),
    });
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(
        `http://127.0.0.1:${(down.address() as AddressInfo).port}${workOrdersPath}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-fsfo-webhook-key': KEY },
          body: JSON.stringify({ workOrderNumber: number }),
        },
      );
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(await response.json()).toEqual({ error: 'Temporal is unavailable; retry later' });
    } finally {
      await new Promise((resolve) => down.close(resolve));
      await connection.close();
    }
    expect(logged.at(-1)).toMatch(
      new RegExp(`^POST ${workOrdersPath} 503: Temporal is unavailable; retry later \\(.+\\)$`),
    );
  });
});

describe('F&O business events', () => {
  test('SalesInvoicePostedBusinessEvent signals invoicePosted to the work order; other orders are skipped', async () => {
    const number = newNumber();
    await startWorkOrder(env.client, config, number);
    const response = await post(eventsPath, [
      invoicePostedEvent(number, 'CIV-000042'),
      invoicePostedEvent('SO-NOT-OURS', 'CIV-7'),
    ]);
    expect(response).toEqual({ status: 202, body: { signalled: 1, notOurs: 1 } });
    expect(await signalInputs(env.client, handle(number), 'invoicePosted')).toEqual([
      { invoiceNumber: 'CIV-000042', legalEntity: 'usmf' },
    ]);
  });

  test('a single event is accepted; one without InvoiceId gets 400 naming the field', async () => {
    const number = newNumber();
    await startWorkOrder(env.client, config, number);
    expect((await post(eventsPath, invoicePostedEvent(number, 'CIV-1'))).body).toEqual({
      signalled: 1,
      notOurs: 0,
    });
    const { InvoiceId: _missing, ...withoutInvoice } = invoicePostedEvent(number, 'CIV-2');
    const refused = await post(eventsPath, withoutInvoice);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/InvoiceId/);
    expect(await signalInputs(env.client, handle(number), 'invoicePosted')).toHaveLength(1);
  });
});

describe('the webhook key', () => {
  test('is required as header or ?code=, answered 401 otherwise, and never logged', async () => {
    const number = newNumber();
    await stack.createWorkOrder(number);
    expect(await post(workOrdersPath, { workOrderNumber: number }, {})).toEqual({
      status: 401,
      body: { error: 'a valid webhook key is required (header x-fsfo-webhook-key or ?code=)' },
    });
    expect(
      (await post(workOrdersPath, { workOrderNumber: number }, { 'x-fsfo-webhook-key': 'wrong' })).status,
    ).toBe(401);
    await expect(handle(number).describe()).rejects.toThrow(WorkflowNotFoundError);

    expect((await post(`${workOrdersPath}?code=${KEY}`, { workOrderNumber: number }, {})).status).toBe(202);
    expect(logged).toContain(
      `POST ${workOrdersPath} 401: a valid webhook key is required (header x-fsfo-webhook-key or ?code=)`,
    );
    expect(logged).toContain(`POST ${workOrdersPath} 202`);
    expect(logged.join('\n')).not.toContain(KEY);
  });

  test('unknown paths get 404 and other methods 405', async () => {
    expect((await post('/webhooks/elsewhere', {})).status).toBe(404);
    const get = await fetch(`${baseUrl}${eventsPath}`, { headers: { 'x-fsfo-webhook-key': KEY } });
    expect(get.status).toBe(405);
  });
});
