import { RequestBudget } from '../../sandboxes/platform/request-budget';
import { json, startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

const put = (body: unknown): RequestInit => ({ method: 'PUT', ...json(body) });

test('a client over its request budget gets 429 with Retry-After, longer while it keeps sending', async () => {
  expect(
    (
      await client.control(
        'dataverse',
        'limits',
        put({ requestBudget: { maxRequests: 3, windowSeconds: 120 } }),
      )
    ).status,
  ).toBe(200);
  try {
    for (let i = 0; i < 3; i++) expect((await client.dataverse('accounts?$select=name')).status).toBe(200);
    const throttled = await client.dataverse('accounts?$select=name');
    expect(throttled.status).toBe(429);
    const retryAfter = throttled.headers.get('retry-after') ?? '';
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThan(100);
    expect(await throttled.json()).toEqual({
      error: {
        code: '0x80072322',
        message: 'Number of requests exceeded the limit of 3 over time window of 120 seconds.',
      },
    });
    const again = await client.dataverse('accounts?$select=name');
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(Number(retryAfter));
  } finally {
    await client.control('dataverse', 'limits', put({ requestBudget: null }));
  }
  expect((await client.dataverse('accounts?$select=name')).status).toBe(200);
});

test('each request refused in a row is told to wait longer than the last, whatever the millisecond', () => {
  const budget = new RequestBudget({ maxRequests: 1, windowSeconds: 120 });
  const served = Date.parse('2026-07-01T10:00:00.000Z');
  expect(budget.take('app', served)).toBeUndefined();
  // 119.001 s until the window frees up, rounded up to 120; 2 ms later it is 118.999, rounded up to 119.
  const first = budget.take('app', served + 999)!.retryAfterSeconds;
  const second = budget.take('app', served + 1001)!.retryAfterSeconds;
  expect(first).toBe(120);
  expect(second).toBeGreaterThan(first);
  // Once the window frees up, the client is served again and starts afresh.
  expect(budget.take('app', served + 120_000)).toBeUndefined();
  expect(budget.take('app', served + 120_001)!.retryAfterSeconds).toBe(120);
});

test('too many concurrent requests from one client get 429 at once with the concurrency code', async () => {
  await client.control('dataverse', 'limits', put({ concurrencyLimit: 2 }));
  await client.control('dataverse', 'faults', put({ latencyMs: 300 }));
  try {
    const responses = await Promise.all([1, 2, 3].map(() => client.dataverse('accounts?$top=1')));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 429]);
    const throttled = responses.find((response) => response.status === 429) as Response;
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe('0x80072326');
  } finally {
    await client.control('dataverse', 'faults', put({}));
    await client.control('dataverse', 'limits', put({}));
  }
  expect(await (await client.control('dataverse', 'limits')).json()).toEqual({
    requestBudget: null,
    concurrencyLimit: null,
  });
});

test('fault injection: throttling, 5xx, latency and commit-then-drop', async () => {
  try {
    await client.control('dataverse', 'faults', put({ throttleRate: 1, throttleRetryAfterSeconds: 7 }));
    const throttled = await client.dataverse('accounts');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe('0x80072321');

    await client.control('dataverse', 'faults', put({ serverErrorRate: 1 }));
    expect((await client.dataverse('accounts')).status).toBe(503);

    await client.control('dataverse', 'faults', put({ latencyMs: 150 }));
    const started = Date.now();
    expect((await client.dataverse('accounts?$top=1')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    await client.control('dataverse', 'faults', put({ dropConnectionRate: 1 }));
    await expect(
      client.dataverse('accounts', { method: 'POST', ...json({ name: 'Dropped', accountnumber: 'DROP-1' }) }),
    ).rejects.toThrow();
  } finally {
    await client.control('dataverse', 'faults', put({}));
  }
  const committed = await client.dataverse(`accounts(accountnumber='DROP-1')?$select=name`);
  expect(committed.status).toBe(200);
});

test('request statistics count by method, entity set and status, and reset', async () => {
  expect((await client.control('dataverse', 'stats', { method: 'DELETE' })).status).toBe(204);
  await client.dataverse('accounts?$top=1');
  await client.dataverse('accounts?$top=1');
  await client.dataverse(`msdyn_workorders(msdyn_name='NOPE')`);
  await client.dataverse('accounts', { method: 'POST', ...json({ name: 'Counted' }) });
  const stats = (await (await client.control('dataverse', 'stats')).json()) as Record<string, unknown>;
  expect(stats).toMatchObject({
    total: 4,
    byMethod: { GET: 3, POST: 1 },
    byEntitySet: { accounts: 3, msdyn_workorders: 1 },
    byStatus: { 200: 2, 404: 1, 204: 1 },
  });
  expect(stats.requests).toEqual(
    expect.arrayContaining([{ method: 'GET', entitySet: 'accounts', status: 200, count: 2 }]),
  );
});

test('the control API refuses bad settings and unknown routes', async () => {
  expect((await client.control('dataverse', 'faults', put({ throttleRate: 2 }))).status).toBe(400);
  expect((await client.control('dataverse', 'nothing-here')).status).toBe(404);
  expect((await client.control('dataverse', 'stats', { method: 'POST' })).status).toBe(405);
});
