import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { json, startSandboxClient, type SandboxClient } from './support/sandbox-client';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

let client: SandboxClient;
let receiver: Server;
let endpointBase: string;
const received: Received[] = [];
/** How many of the next deliveries the receiver answers with 500. */
let failNext = 0;

type Row = Record<string, unknown>;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      if (failNext > 0) {
        failNext--;
        response.writeHead(500).end();
        return;
      }
      received.push({
        url: request.url ?? '',
        headers: request.headers,
        body: JSON.parse(body) as Record<string, unknown>,
      });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  endpointBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  client = await startSandboxClient({ seed: true });
});
afterAll(async () => {
  await client.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const steps: string[] = [];
afterEach(async () => {
  // Each test registers its own steps; none outlives it.
  for (const id of steps.splice(0))
    await client.dataverse(`sdkmessageprocessingsteps(${id})`, { method: 'DELETE' });
  received.length = 0;
  failNext = 0;
});

async function rows(path: string): Promise<Row[]> {
  const response = await client.dataverse(path);
  expect(response.status).toBe(200);
  return ((await response.json()) as { value: Row[] }).value;
}

async function create(entitySet: string, body: Row): Promise<string> {
  const response = await client.dataverse(entitySet, { method: 'POST', ...json(body) });
  expect(response.status).toBe(204);
  return /\(([0-9a-f-]{36})\)$/.exec(response.headers.get('OData-EntityId') ?? '')?.[1] ?? '';
}

async function filterId(message: string, table: string): Promise<string> {
  const [filter] = await rows(
    `sdkmessagefilters?$select=sdkmessagefilterid&$filter=primaryobjecttypecode eq '${table}' and sdkmessageid/name eq '${message}'`,
  );
  return String(filter.sdkmessagefilterid);
}

/** A webhook endpoint and a post-operation step on `msdyn_workorder`, asynchronous unless `mode` is 0. */
async function registerStep(
  message: 'Create' | 'Update',
  endpoint: Row,
  filteringattributes: string | null = null,
  mode = 1,
): Promise<string> {
  const endpointId = await create('serviceendpoints', {
    name: `receiver ${message}`,
    contract: 8,
    messageformat: 2,
    ...endpoint,
  });
  const [sdkMessage] = await rows(`sdkmessages?$select=sdkmessageid&$filter=name eq '${message}'`);
  const stepId = await create('sdkmessageprocessingsteps', {
    name: `fsfo ${message} of msdyn_workorder`,
    stage: 40,
    mode,
    rank: 1,
    filteringattributes,
    'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpointId})`,
    'sdkmessageid@odata.bind': `/sdkmessages(${String(sdkMessage.sdkmessageid)})`,
    'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${await filterId(message, 'msdyn_workorder')})`,
  });
  steps.push(stepId);
  return stepId;
}

const headerKey = {
  url: '/hook',
  authtype: 5,
  authvalue: '<settings><setting name="x-fsfo-webhook-key" value="s3cret &amp; more"/></settings>',
};

async function patchWorkOrder(name: string, body: Row): Promise<void> {
  const response = await client.dataverse(`msdyn_workorders(msdyn_name='${name}')`, {
    method: 'PATCH',
    ...json(body),
  });
  expect(response.status).toBe(204);
}

async function until<T>(what: string, value: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const current = await value();
    if (current !== undefined) return current;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

const attribute = (body: Row, name: string) => {
  const [target] = body.InputParameters as {
    key: string;
    value: { Attributes: { key: string; value: unknown }[] };
  }[];
  return target.value.Attributes.find((pair) => pair.key === name)?.value;
};

test('an Update step fires only when the request sets one of its filtering attributes', async () => {
  await registerStep(
    'Update',
    { ...headerKey, url: `${endpointBase}/hook` },
    'msdyn_systemstatus, msdyn_totalamount',
  );
  await patchWorkOrder('WO-00001', { msdyn_workordersummary: 'not watched' });
  await patchWorkOrder('WO-00001', { msdyn_systemstatus: 690970001 });
  const [delivery] = await until('the delivery', () => (received.length > 0 ? received : undefined));
  expect(received).toHaveLength(1);
  const [workOrder] = await rows(
    `msdyn_workorders?$select=msdyn_workorderid&$filter=msdyn_name eq 'WO-00001'`,
  );
  expect(delivery.url).toBe('/hook');
  expect(delivery.headers).toMatchObject({
    'x-fsfo-webhook-key': 's3cret & more',
    'x-ms-dynamics-entity-name': 'msdyn_workorder',
    'x-ms-dynamics-request-name': 'Update',
    'content-type': 'application/json',
  });
  expect(delivery.headers['x-request-id']).toBe(delivery.body.RequestId);
  expect(delivery.body).toMatchObject({
    MessageName: 'Update',
    PrimaryEntityName: 'msdyn_workorder',
    PrimaryEntityId: workOrder.msdyn_workorderid,
    Stage: 40,
    Mode: 1,
    OrganizationName: 'fsfosandbox',
  });
  expect(attribute(delivery.body, 'msdyn_systemstatus')).toEqual({
    __type: 'OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts',
    Value: 690970001,
  });
  expect(attribute(delivery.body, 'msdyn_workordersummary')).toBeUndefined();
});

test('an Update step without filtering attributes fires on any update; a Create step on creates only', async () => {
  await registerStep('Create', { url: `${endpointBase}/created?code=x`, authtype: 4, authvalue: 'the-key' });
  await patchWorkOrder('WO-00002', { msdyn_workordersummary: 'an update: no Create step fires' });
  await create('msdyn_workorders', {
    msdyn_name: 'WO-HOOK-1',
    'msdyn_serviceaccount@odata.bind': "/accounts(accountnumber='US-001')",
  });
  const [delivery] = await until('the delivery', () => (received.length > 0 ? received : undefined));
  expect(received).toHaveLength(1);
  expect(delivery.url).toBe('/created?code=the-key');
  expect(delivery.body).toMatchObject({ MessageName: 'Create', PrimaryEntityName: 'msdyn_workorder' });
  expect(attribute(delivery.body, 'msdyn_name')).toBe('WO-HOOK-1');
  expect(attribute(delivery.body, 'msdyn_serviceaccount')).toMatchObject({ LogicalName: 'account' });

  received.length = 0;
  await registerStep('Update', {
    url: `${endpointBase}/updated`,
    authtype: 6,
    authvalue: '<settings><setting name="key" value="q"/></settings>',
  });
  await patchWorkOrder('WO-HOOK-1', { msdyn_instructions: 'anything' });
  const [update] = await until('the update', () => (received.length > 0 ? received : undefined));
  expect(update.url).toBe('/updated?key=q');
  expect(update.body.MessageName).toBe('Update');
});

test('a technician completing a work order fires the Update step; the delivery log reports it', async () => {
  const stepId = await registerStep(
    'Update',
    { ...headerKey, url: `${endpointBase}/hook` },
    'msdyn_systemstatus',
  );
  await client.control('dataverse', 'webhook-deliveries', { method: 'DELETE' });
  expect(
    (await client.control('dataverse', 'work-orders/WO-00004/complete', { method: 'POST' })).status,
  ).toBe(200);
  const [delivery] = await until('the delivery', () => (received.length > 0 ? received : undefined));
  expect(attribute(delivery.body, 'msdyn_systemstatus')).toMatchObject({ Value: 690970003 });
  const log = (await (await client.control('dataverse', 'webhook-deliveries')).json()) as { value: Row[] };
  expect(log.value).toEqual([
    expect.objectContaining({
      stepId,
      message: 'Update',
      entity: 'msdyn_workorder',
      url: `${endpointBase}/hook`,
      attempts: 1,
      outcome: 202,
      delivered: true,
    }),
  ]);
});

test('a failed delivery is tried again', async () => {
  await registerStep('Update', { ...headerKey, url: `${endpointBase}/hook` }, 'msdyn_instructions');
  await client.control('dataverse', 'webhook-deliveries', { method: 'DELETE' });
  failNext = 2;
  await patchWorkOrder('WO-00001', { msdyn_instructions: 'try again' });
  await until('the third attempt', () => (received.length > 0 ? received : undefined));
  const log = (await (await client.control('dataverse', 'webhook-deliveries')).json()) as { value: Row[] };
  expect(log.value).toEqual([expect.objectContaining({ attempts: 3, outcome: 202, delivered: true })]);
});

test('a disabled step does not fire', async () => {
  const stepId = await registerStep('Update', { ...headerKey, url: `${endpointBase}/hook` });
  await client.dataverse(`sdkmessageprocessingsteps(${stepId})`, {
    method: 'PATCH',
    ...json({ statecode: 1, statuscode: 2 }),
  });
  await patchWorkOrder('WO-00001', { msdyn_instructions: 'disabled' });
  await registerStep('Update', { ...headerKey, url: `${endpointBase}/enabled` });
  await patchWorkOrder('WO-00001', { msdyn_instructions: 'enabled' });
  await until('the enabled step', () => (received.length > 0 ? received : undefined));
  expect(received.map((delivery) => delivery.url)).toEqual(['/enabled']);
});

test('registration: steps outside post-operation are refused, the key is never read back, messages are the platform’s', async () => {
  const endpointId = await create('serviceendpoints', {
    name: 'k',
    contract: 8,
    url: `${endpointBase}/k`,
    authtype: 4,
    authvalue: 'secret',
  });
  const [endpoint] = await rows(
    `serviceendpoints?$select=authvalue,authtype&$filter=serviceendpointid eq ${endpointId}`,
  );
  expect(endpoint).toMatchObject({ authvalue: null, authtype: 4 });
  const preOperation = await client.dataverse('sdkmessageprocessingsteps', {
    method: 'POST',
    ...json({
      name: 'pre-operation',
      stage: 20,
      mode: 0,
      'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpointId})`,
    }),
  });
  expect(preOperation.status).toBe(400);
  const messages = await rows(`sdkmessages?$select=name&$orderby=name`);
  expect(messages.map((message) => message.name)).toEqual(['Create', 'Delete', 'Update']);
  expect((await client.dataverse('sdkmessages', { method: 'POST', ...json({ name: 'Mine' }) })).status).toBe(
    403,
  );
});

test('a change set that fails delivers nothing; one that commits delivers each update', async () => {
  await registerStep('Update', { ...headerKey, url: `${endpointBase}/hook` }, 'msdyn_instructions');
  const batch = (instructions: string, secondWorkOrder: string) =>
    [
      '--batch_AAA',
      'Content-Type: multipart/mixed; boundary="changeset_BBB"',
      '',
      ...[
        ['WO-00001', instructions],
        [secondWorkOrder, instructions],
      ].flatMap(([name, text], index) => [
        '--changeset_BBB',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        `Content-ID: ${index + 1}`,
        '',
        `PATCH msdyn_workorders(msdyn_name='${name}') HTTP/1.1`,
        'Content-Type: application/json',
        'If-Match: *',
        '',
        JSON.stringify({ msdyn_instructions: text }),
      ]),
      '--changeset_BBB--',
      '--batch_AAA--',
      '',
    ].join('\r\n');
  const post = (body: string) =>
    client.dataverse('$batch', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/mixed; boundary="batch_AAA"' },
      body,
    });
  // The second PATCH finds no such work order (If-Match: * never creates): the first is rolled back.
  expect((await post(batch('rolled back', 'WO-NONE'))).status).toBe(404);
  expect((await post(batch('committed', 'WO-00002'))).status).toBe(200);
  await until('both deliveries', () => (received.length >= 2 ? received : undefined));
  expect(received.map((delivery) => attribute(delivery.body, 'msdyn_instructions'))).toEqual([
    'committed',
    'committed',
  ]);
});

test('a synchronous step runs before the write answers; when its endpoint fails, nothing is written', async () => {
  await registerStep('Update', { ...headerKey, url: `${endpointBase}/sync` }, 'msdyn_instructions', 0);
  await patchWorkOrder('WO-00001', { msdyn_instructions: 'delivered first' });
  // No waiting: the endpoint had the context before the PATCH answered.
  expect(received.map((delivery) => [delivery.url, delivery.body.Mode])).toEqual([['/sync', 0]]);

  failNext = 1;
  const refused = await client.dataverse(`msdyn_workorders(msdyn_name='WO-00001')`, {
    method: 'PATCH',
    ...json({ msdyn_instructions: 'never written' }),
  });
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
    code: '0x80040265',
    message: expect.stringContaining(`the webhook ${endpointBase}/sync answered 500`),
  });
  const [workOrder] = await rows(
    `msdyn_workorders?$select=msdyn_instructions&$filter=msdyn_name eq 'WO-00001'`,
  );
  expect(workOrder.msdyn_instructions).toBe('delivered first');
});

/** An entity image on a step; answers the response (204 when registered). */
function registerImage(stepId: string, image: Row): Promise<Response> {
  return client.dataverse('sdkmessageprocessingstepimages', {
    method: 'POST',
    ...json({
      name: 'fsfo',
      entityalias: 'fsfo',
      'sdkmessageprocessingstepid@odata.bind': `/sdkmessageprocessingsteps(${stepId})`,
      ...image,
    }),
  });
}

type Entity = { Attributes: { key: string; value: unknown }[]; Id: string; LogicalName: string };
const imagesOf = (body: Row, kind: 'PreEntityImages' | 'PostEntityImages') =>
  body[kind] as { key: string; value: Entity }[];
const valuesOf = (entity: Entity) =>
  Object.fromEntries(entity.Attributes.map(({ key, value }) => [key, value]));

test("an Update step's images hold the asked-for columns: the pre image before the write, the post image after", async () => {
  await patchWorkOrder('WO-00003', { msdyn_instructions: 'before' });
  const stepId = await registerStep(
    'Update',
    { ...headerKey, url: `${endpointBase}/hook` },
    'msdyn_instructions',
  );
  const registered = await registerImage(stepId, {
    imagetype: 2,
    messagepropertyname: 'Target',
    attributes: 'msdyn_name,msdyn_instructions,msdyn_systemstatus,versionnumber,modifiedon',
  });
  expect(registered.status).toBe(204);
  await patchWorkOrder('WO-00003', { msdyn_instructions: 'after' });
  const [delivery] = await until('the delivery', () => (received.length > 0 ? received : undefined));

  const [row] = await rows(
    `msdyn_workorders?$select=msdyn_workorderid,msdyn_systemstatus,modifiedon,versionnumber&$filter=msdyn_name eq 'WO-00003'`,
  );
  const [pre] = imagesOf(delivery.body, 'PreEntityImages');
  const [post] = imagesOf(delivery.body, 'PostEntityImages');
  expect(pre.key).toBe('fsfo');
  expect(post).toMatchObject({
    key: 'fsfo',
    value: { Id: row.msdyn_workorderid, LogicalName: 'msdyn_workorder' },
  });
  expect(valuesOf(post.value)).toEqual({
    msdyn_workorderid: row.msdyn_workorderid,
    msdyn_name: 'WO-00003',
    msdyn_instructions: 'after',
    msdyn_systemstatus: {
      __type: 'OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts',
      Value: row.msdyn_systemstatus,
    },
    versionnumber: row.versionnumber,
    modifiedon: `/Date(${Date.parse(String(row.modifiedon))})/`,
  });
  // The row's ETag on the wire is its version number.
  expect(row['@odata.etag']).toBe(`W/"${String(row.versionnumber)}"`);
  const before = valuesOf(pre.value);
  expect(before.msdyn_instructions).toBe('before');
  expect(Number(before.versionnumber)).toBeLessThan(Number(row.versionnumber));
});

test('an image without attributes holds every column that has a value; a Create has no pre image', async () => {
  const stepId = await registerStep('Create', { ...headerKey, url: `${endpointBase}/hook` });
  expect((await registerImage(stepId, { imagetype: 1, messagepropertyname: 'Id' })).status).toBe(204);
  await create('msdyn_workorders', {
    msdyn_name: 'WO-IMAGE-1',
    'msdyn_serviceaccount@odata.bind': "/accounts(accountnumber='US-001')",
  });
  const [delivery] = await until('the delivery', () => (received.length > 0 ? received : undefined));
  expect(imagesOf(delivery.body, 'PreEntityImages')).toEqual([]);
  const [post] = imagesOf(delivery.body, 'PostEntityImages');
  const values = valuesOf(post.value);
  expect(values).toMatchObject({
    msdyn_name: 'WO-IMAGE-1',
    msdyn_serviceaccount: expect.objectContaining({ LogicalName: 'account' }),
    statecode: expect.objectContaining({ Value: 0 }),
    versionnumber: expect.any(Number),
    createdon: expect.stringMatching(/^\/Date\(\d+\)\/$/),
  });
  // Null columns are left out, as a retrieve leaves them out.
  expect(Object.values(values)).not.toContain(null);
  expect(values).not.toHaveProperty('msdyn_instructions');
});

test('images Dataverse refuses: a pre image of a Create, the wrong message property, no alias; deleting a step deletes its images', async () => {
  const createStep = await registerStep('Create', { ...headerKey, url: `${endpointBase}/hook` });
  const refusal = async (response: Response) => {
    expect(response.status).toBe(400);
    return ((await response.json()) as { error: { code: string; message: string } }).error;
  };
  expect(await refusal(await registerImage(createStep, { imagetype: 0, messagepropertyname: 'Id' }))).toEqual(
    {
      code: '0x80040203',
      message: 'A PreImage is not available on the Create message: the row did not exist.',
    },
  );
  expect(
    (await refusal(await registerImage(createStep, { imagetype: 2, messagepropertyname: 'Id' }))).message,
  ).toMatch(/PreImage is not available on the Create message/);
  expect(
    (await refusal(await registerImage(createStep, { imagetype: 1, messagepropertyname: 'Target' }))).message,
  ).toBe('The messagepropertyname of an image on a Create step must be Id.');
  const updateStep = await registerStep('Update', { ...headerKey, url: `${endpointBase}/hook` });
  expect(
    (await refusal(await registerImage(updateStep, { imagetype: 0, messagepropertyname: 'Id' }))).message,
  ).toBe('The messagepropertyname of an image on a Update step must be Target.');
  expect(
    (
      await refusal(
        await registerImage(updateStep, { imagetype: 1, messagepropertyname: 'Target', entityalias: '' }),
      )
    ).message,
  ).toMatch(/needs an entityalias/);

  expect((await registerImage(updateStep, { imagetype: 0, messagepropertyname: 'Target' })).status).toBe(204);
  expect((await registerImage(createStep, { imagetype: 1, messagepropertyname: 'Id' })).status).toBe(204);
  expect(await rows('sdkmessageprocessingstepimages')).toHaveLength(2);
  await client.dataverse(`sdkmessageprocessingsteps(${updateStep})`, { method: 'DELETE' });
  expect(await rows('sdkmessageprocessingstepimages')).toEqual([
    expect.objectContaining({ _sdkmessageprocessingstepid_value: createStep }),
  ]);
});

describe('impersonation', () => {
  const dana = {
    systemuserid: '00000000-0000-4000-8000-0000005e0001',
    azureactivedirectoryobjectid: '00000000-0000-4000-8000-0000005e00e1',
  };
  const modifiedBy = async () => {
    const [row] = await rows(
      `msdyn_workorders?$select=msdyn_name,_modifiedby_value&$filter=msdyn_name eq 'WO-00002'`,
    );
    return row._modifiedby_value;
  };

  test('a write with MSCRMCallerID or CallerObjectId acts as that user: modifiedby and the step context name them', async () => {
    await registerStep('Update', { ...headerKey, url: `${endpointBase}/hook` }, 'fsfo_invoicingdecision');
    const response = await client.dataverse(`msdyn_workorders(msdyn_name='WO-00002')`, {
      method: 'PATCH',
      ...json({ fsfo_invoicingdecision: 317330000 }),
      headers: { 'Content-Type': 'application/json', MSCRMCallerID: dana.systemuserid },
    });
    expect(response.status).toBe(204);
    const [delivery] = await until('the delivery', () => (received.length > 0 ? received : undefined));
    expect(delivery.body).toMatchObject({
      UserId: dana.systemuserid,
      InitiatingUserId: dana.systemuserid,
      InitiatingUserAzureActiveDirectoryObjectId: dana.azureactivedirectoryobjectid,
    });
    expect(await modifiedBy()).toBe(dana.systemuserid);
    const user = await client.dataverse(`systemusers(${dana.systemuserid})?$select=fullname,domainname`);
    expect(await user.json()).toMatchObject({ fullname: 'Dana Manager', domainname: 'dana@contoso.com' });

    // Without the header the application user writes again.
    await patchWorkOrder('WO-00002', { fsfo_invoicingdecision: null });
    expect(await modifiedBy()).toBe('00000000-0000-4000-8000-0000000a0001');

    const byObjectId = await client.dataverse(`msdyn_workorders(msdyn_name='WO-00002')`, {
      method: 'PATCH',
      ...json({ fsfo_invoicingdecisionreason: 'labour missing' }),
      headers: { 'Content-Type': 'application/json', CallerObjectId: dana.azureactivedirectoryobjectid },
    });
    expect(byObjectId.status).toBe(204);
    expect(await modifiedBy()).toBe(dana.systemuserid);
  });

  test('a caller naming no user of the environment is refused and writes nothing', async () => {
    const response = await client.dataverse(`msdyn_workorders(msdyn_name='WO-00002')`, {
      method: 'PATCH',
      ...json({ fsfo_invoicingdecision: 317330000 }),
      headers: { 'Content-Type': 'application/json', MSCRMCallerID: '00000000-0000-4000-8000-00000000dead' },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: '0x80040217' } });
    const [row] = await rows(
      `msdyn_workorders?$select=fsfo_invoicingdecision&$filter=msdyn_name eq 'WO-00002'`,
    );
    expect(row.fsfo_invoicingdecision).toBeNull();
  });
});
