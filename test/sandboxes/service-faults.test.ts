import { requestToken, startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

const put = (body: unknown): RequestInit => ({
  method: 'PUT',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

test('faults are set per service: F&O and Entra ID fail in their own shapes while Dataverse is untouched', async () => {
  const dataverseToken = await client.token(client.sandboxes.urls.dataverse);
  await client.finance('CustomersV3?$top=1');
  try {
    await client.control('finance', 'faults', put({ throttleRate: 1, throttleRetryAfterSeconds: 5 }));
    const throttled = await client.finance('CustomersV3?$top=1');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('5');
    expect(await throttled.json()).toEqual({
      error: {
        code: '',
        message:
          'This request could not be processed at this time due to system experiencing high resource utilization.',
      },
    });

    await client.control('finance', 'faults', put({ serverErrorRate: 1 }));
    expect((await client.finance('CustomersV3?$top=1')).status).toBe(503);

    await client.control('token', 'faults', put({ serverErrorRate: 1 }));
    const token = await requestToken(client.sandboxes, `${client.sandboxes.urls.dataverse}/.default`);
    expect(token.status).toBe(503);
    expect(await token.json()).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90033] });

    const dataverse = await client.dataverse('accounts?$top=1', {
      headers: { Authorization: `Bearer ${dataverseToken}` },
    });
    expect(dataverse.status).toBe(200);
  } finally {
    await client.control('finance', 'faults', put({}));
    await client.control('token', 'faults', put({}));
  }
  expect((await client.finance('CustomersV3?$top=1')).status).toBe(200);
});
