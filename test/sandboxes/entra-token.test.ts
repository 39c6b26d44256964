import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { TokenAuthority } from '../../sandboxes/entra/token-authority';
import { requestToken, startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;
/** Its tokens live one second. */
let shortLived: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient();
  shortLived = await startSandboxClient({ tokenLifetimeSeconds: 1 });
});
afterAll(async () => {
  await client.close();
  await shortLived.close();
});

test('client credentials with the registered app give a bearer token for the environment', async () => {
  const { urls } = shortLived.sandboxes;
  const response = await requestToken(shortLived.sandboxes, `${urls.dataverse}/.default`, {
    'x-client-SKU': 'msal.js.node',
    'client-request-id': '11111111-2222-4333-8444-555555555555',
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 1 });
  expect(typeof body.access_token).toBe('string');
  const payload = JSON.parse(
    Buffer.from(String(body.access_token).split('.')[1], 'base64url').toString('utf8'),
  );
  expect(payload.aud).toBe(urls.dataverse);
});

test('a wrong secret is invalid_client 401 AADSTS7000215 with the Entra error fields', async () => {
  const response = await requestToken(client.sandboxes, `${client.sandboxes.urls.dataverse}/.default`, {
    client_secret: 'not-the-secret',
    'client-request-id': 'aaaaaaaa-2222-4333-8444-555555555555',
  });
  expect(response.status).toBe(401);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body.error).toBe('invalid_client');
  expect(body.error_codes).toEqual([7000215]);
  expect(body.error_description).toMatch(
    /^AADSTS7000215: .*\r\nTrace ID: .+\r\nCorrelation ID: aaaaaaaa-.+\r\nTimestamp: /s,
  );
  expect(body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
  expect(body.correlation_id).toBe('aaaaaaaa-2222-4333-8444-555555555555');
  expect(typeof body.trace_id).toBe('string');
});

test('a scope without /.default is invalid_scope 400 AADSTS70011', async () => {
  const response = await requestToken(
    client.sandboxes,
    `${client.sandboxes.urls.dataverse}/user_impersonation`,
  );
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ error: 'invalid_scope', error_codes: [70011] });
});

test('an unknown resource, client or tenant and a missing grant type are refused', async () => {
  const { sandboxes } = client;
  const resource = await requestToken(sandboxes, 'http://127.0.0.1:1/.default');
  expect(resource.status).toBe(400);
  expect(await resource.json()).toMatchObject({ error: 'invalid_resource', error_codes: [500011] });
  const unknownClient = await requestToken(sandboxes, `${sandboxes.urls.finance}/.default`, {
    client_id: 'nobody',
  });
  expect(await unknownClient.json()).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
  const tenant = await requestToken(sandboxes, `${sandboxes.urls.finance}/.default`, {}, 'contoso.example');
  expect(await tenant.json()).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  const grant = await requestToken(sandboxes, `${sandboxes.urls.finance}/.default`, {
    grant_type: 'password',
  });
  expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type', error_codes: [70003] });
});

test('a token lives its whole lifetime from the moment it was issued, whatever the millisecond', () => {
  const authority = new TokenAuthority(randomBytes(32));
  const token = (issuedAt: number) =>
    `Bearer ${authority.issue({ audience: 'https://fs.example', tenantId: 't', clientId: 'c', lifetimeSeconds: 1 }, issuedAt)}`;
  for (const issuedAt of [Date.parse('2026-07-01T10:00:00.000Z'), Date.parse('2026-07-01T10:00:00.999Z')]) {
    const bearer = token(issuedAt);
    expect(authority.check(bearer, 'https://fs.example', issuedAt + 999)).toMatchObject({ ok: true });
    expect(authority.check(bearer, 'https://fs.example', issuedAt + 1000)).toEqual({
      ok: false,
      reason: 'expired',
    });
  }
});

test('each API rejects a missing, wrong-audience or expired token with 401 and WWW-Authenticate', async () => {
  const { urls } = client.sandboxes;
  const shortUrls = shortLived.sandboxes.urls;
  const apis = [
    { url: `${urls.dataverse}/api/data/v9.2/accounts`, audience: urls.dataverse, other: urls.finance },
    { url: `${urls.finance}/data/CustomersV3`, audience: urls.finance, other: urls.dataverse },
  ];
  const call = (url: string, token?: string) =>
    fetch(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  for (const api of apis) {
    const missing = await call(api.url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer\b/);

    const wrongAudience = await call(api.url, await client.token(api.other));
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get('www-authenticate')).toMatch(/^Bearer .*invalid_token/);

    const token = await client.token(api.audience);
    expect((await call(api.url, token)).status).toBe(200);
  }
  // One second old, a one-second token is expired.
  const shortApis = [
    { url: `${shortUrls.dataverse}/api/data/v9.2/accounts`, audience: shortUrls.dataverse },
    { url: `${shortUrls.finance}/data/CustomersV3`, audience: shortUrls.finance },
  ];
  const tokens = await Promise.all(shortApis.map((api) => shortLived.token(api.audience)));
  await delay(1000);
  for (const [index, api] of shortApis.entries()) {
    const expired = await call(api.url, tokens[index]);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer .*expired/);
  }
});

test('the control API can force every token of one service to expire', async () => {
  const longLived = await startSandboxClient();
  try {
    const token = await longLived.token(longLived.sandboxes.urls.dataverse);
    const call = () =>
      fetch(`${longLived.sandboxes.urls.dataverse}/api/data/v9.2/accounts`, {
        headers: { Authorization: `Bearer ${token}` },
      });
    expect((await call()).status).toBe(200);
    expect((await longLived.control('dataverse', 'expire-tokens', { method: 'POST' })).status).toBe(204);
    expect((await call()).status).toBe(401);
    const renewed = await longLived.token(longLived.sandboxes.urls.dataverse);
    const retried = await fetch(`${longLived.sandboxes.urls.dataverse}/api/data/v9.2/accounts`, {
      headers: { Authorization: `Bearer ${renewed}` },
    });
    expect(retried.status).toBe(200);
  } finally {
    await longLived.close();
  }
});
