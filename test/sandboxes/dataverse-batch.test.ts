import { json, startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

function batchBody(lineEnd: string, parts: string[][]): string {
  return [...parts.flat(), '--batch_AAA--', ''].join(lineEnd);
}

function changeset(operations: string[][]): string[] {
  return [
    '--batch_AAA',
    'Content-Type: multipart/mixed; boundary="changeset_BBB"',
    '',
    ...operations.flatMap((operation) => ['--changeset_BBB', ...operation]),
    '--changeset_BBB--',
  ];
}

function operation(contentId: number, method: string, url: string, body?: unknown): string[] {
  return [
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    `Content-ID: ${contentId}`,
    '',
    `${method} ${url} HTTP/1.1`,
    'Content-Type: application/json',
    '',
    body === undefined ? '' : JSON.stringify(body),
  ];
}

async function postBatch(body: string, prefer?: string): Promise<Response> {
  return client.dataverse('$batch', {
    method: 'POST',
    headers: {
      'Content-Type': 'multipart/mixed; boundary="batch_AAA"',
      ...(prefer ? { Prefer: prefer } : {}),
    },
    body,
  });
}

async function accountCount(prefix: string): Promise<number> {
  const response = await client.dataverse(
    `accounts?$select=name&$filter=startswith(accountnumber,'${prefix}')`,
  );
  return ((await response.json()) as { value: unknown[] }).value.length;
}

test('a change set commits together, with $n references in URLs and @odata.bind (CRLF)', async () => {
  const body = batchBody('\r\n', [
    changeset([
      operation(1, 'POST', '/api/data/v9.2/accounts', { name: 'Batch customer', accountnumber: 'BT-1' }),
      operation(2, 'POST', 'msdyn_workorders', {
        msdyn_name: 'WO-BATCH-1',
        'msdyn_serviceaccount@odata.bind': '$1',
      }),
      operation(3, 'PATCH', '$1', { telephone1: '555-0101' }),
    ]),
    [
      '--batch_AAA',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      `GET ${client.sandboxes.urls.dataverse}/api/data/v9.2/accounts(accountnumber='BT-1')?$select=telephone1 HTTP/1.1`,
      'Accept: application/json',
      '',
    ],
  ]);
  const response = await postBatch(body);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=batchresponse_/);
  const text = await response.text();
  expect(text.match(/HTTP\/1\.1 204 No Content/g)).toHaveLength(3);
  expect(text).toMatch(/changesetresponse_/);
  expect(text).toMatch(/"telephone1":"555-0101"/);
  const workOrder = await client.dataverse(
    `msdyn_workorders(msdyn_name='WO-BATCH-1')?$expand=msdyn_serviceaccount($select=accountnumber)`,
  );
  expect(
    ((await workOrder.json()) as { msdyn_serviceaccount: { accountnumber: string } }).msdyn_serviceaccount
      .accountnumber,
  ).toBe('BT-1');
});

test('a change set that fails rolls back entirely; the batch stops with the failing status (LF)', async () => {
  const body = batchBody('\n', [
    changeset([
      operation(1, 'POST', 'accounts', { name: 'Rolled back 1', accountnumber: 'RB-1' }),
      operation(2, 'POST', 'accounts', { name: 'Rolled back 2', accountnumber: 'RB-2' }),
      operation(3, 'POST', 'accounts', { name: 'Broken', nosuchcolumn: 1 }),
    ]),
    changeset([operation(4, 'POST', 'accounts', { name: 'Never reached', accountnumber: 'RB-3' })]),
  ]);
  const response = await postBatch(body);
  expect(response.status).toBe(400);
  const text = await response.text();
  expect(text).toMatch(/HTTP\/1\.1 400 Bad Request/);
  expect(text).not.toMatch(/HTTP\/1\.1 204/);
  expect(await accountCount('RB-')).toBe(0);
});

test('with odata.continue-on-error the batch goes on after a failed change set', async () => {
  await client.dataverse('accounts', { method: 'POST', ...json({ name: 'Taken', accountnumber: 'CE-X' }) });
  const body = batchBody('\n', [
    changeset([
      operation(1, 'POST', 'accounts', { name: 'CE 1', accountnumber: 'CE-1' }),
      operation(2, 'POST', 'accounts', { name: 'Duplicate key', accountnumber: 'CE-X' }),
    ]),
    changeset([operation(3, 'POST', 'accounts', { name: 'CE 2', accountnumber: 'CE-2' })]),
  ]);
  const response = await postBatch(body, 'odata.continue-on-error');
  expect(response.status).toBe(200);
  expect(response.headers.get('preference-applied')).toBe('odata.continue-on-error');
  const text = await response.text();
  expect(text).toMatch(/HTTP\/1\.1 412 Precondition Failed/);
  expect(await accountCount('CE-1')).toBe(0);
  expect(await accountCount('CE-2')).toBe(1);
});

test('a reference to an undeclared Content-ID, GET in a change set and a body without boundary are 400', async () => {
  const undeclared = await postBatch(
    batchBody('\n', [changeset([operation(1, 'PATCH', '$9', { name: 'x' })])]),
  );
  expect(undeclared.status).toBe(400);
  const getInChangeset = await postBatch(batchBody('\n', [changeset([operation(1, 'GET', 'accounts')])]));
  expect(getInChangeset.status).toBe(400);
  const noBoundary = await client.dataverse('$batch', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(noBoundary.status).toBe(400);
  const unterminated = await postBatch(
    '--batch_AAA\nContent-Type: application/http\n\nGET accounts HTTP/1.1\n',
  );
  expect(unterminated.status).toBe(400);
});
