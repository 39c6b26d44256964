import { Secret } from '../../config/secret';
import { D365Error } from '../../connectors/errors';
import { startFakeTenant, type FakeTenant } from './support/fake-tenant';

let tenant: FakeTenant;

beforeEach(async () => {
  tenant = await startFakeTenant(() => ({ status: 404 }));
});

afterEach(() => tenant.close());

describe('msalTokenProvider against a fake Entra ID token endpoint', () => {
  it('asks for <resource>/.default with client credentials and caches the token', async () => {
    const provider = tenant.tokenProvider();
    const first = await provider.getToken();
    const second = await provider.getToken();
    expect(second).toBe(first);
    expect(tenant.tokenRequests()).toHaveLength(1);

    const form = new URLSearchParams(tenant.tokenRequests()[0]?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe(`${tenant.url}/.default`);
    expect(form.get('client_id')).toBe(tenant.credentials.clientId);
  });

  it('serves its token without asking MSAL again until MSAL would renew it', async () => {
    const client = tenant.confidentialClient();
    const acquire = jest.spyOn(client, 'acquireTokenByClientCredential');
    const provider = tenant.tokenProvider(tenant.credentials, client);
    const tokens = [];
    for (let i = 0; i < 5; i++) tokens.push(await provider.getToken());
    expect(new Set(tokens).size).toBe(1);
    expect(acquire).toHaveBeenCalledTimes(1);
  });

  it('shares one token request between concurrent callers', async () => {
    const provider = tenant.tokenProvider();
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => provider.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(tenant.tokenRequests()).toHaveLength(1);
  });

  it('does not reuse a token that is about to expire', async () => {
    await tenant.close();
    tenant = await startFakeTenant(() => ({ status: 404 }), { expiresInSeconds: 60 });
    const provider = tenant.tokenProvider();
    const first = await provider.getToken();
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(tenant.tokenRequests()).toHaveLength(2);
  });

  it('bypasses the cache when asked to refresh', async () => {
    const provider = tenant.tokenProvider();
    const first = await provider.getToken();
    const refreshed = await provider.getToken({ forceRefresh: true });
    expect(refreshed).not.toBe(first);
    expect(tenant.issuedTokens).toEqual([first, refreshed]);
  });

  it('turns invalid_client into a non-retryable authentication error without the secret', async () => {
    const wrongSecret = 'wrong~Secret.Value_123';
    const provider = tenant.tokenProvider({ ...tenant.credentials, clientSecret: new Secret(wrongSecret) });
    const failure = await provider.getToken().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(D365Error);
    expect(failure).toMatchObject({
      service: 'entra',
      kind: 'authentication',
      retryable: false,
      code: 'invalid_client',
      status: 401,
    });
    expect((failure as Error).message).toContain('AADSTS7000215: Invalid client secret provided.');
    expect((failure as Error).message).not.toContain('Trace ID');
    expect(JSON.stringify(failure)).not.toContain(wrongSecret);
  });
});
