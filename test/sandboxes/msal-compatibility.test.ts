import { ConfidentialClientApplication } from '@azure/msal-node';
import { startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient();
});
afterAll(() => client.close());

// The product's token client: msal-node pointed at the sandbox through authorityMetadata (docs/dynamics-365-wire.md#tokens).
test('msal-node gets tokens from the sandbox token endpoint through authorityMetadata', async () => {
  const { app, urls } = client.sandboxes;
  const metadata = await fetch(`${urls.token}/${app.tenantId}/v2.0/.well-known/openid-configuration`);
  expect(metadata.status).toBe(200);
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      authority: `https://login.microsoftonline.com/${app.tenantId}`,
      authorityMetadata: await metadata.text(),
    },
  });
  const result = await msal.acquireTokenByClientCredential({ scopes: [`${urls.finance}/.default`] });
  expect(result?.accessToken).toBeTruthy();
  const response = await fetch(`${urls.finance}/data/CustomersV3`, {
    headers: { Authorization: `Bearer ${result?.accessToken}` },
  });
  expect(response.status).toBe(200);

  const wrongSecret = new ConfidentialClientApplication({
    auth: {
      clientId: app.clientId,
      clientSecret: 'wrong',
      authority: `https://login.microsoftonline.com/${app.tenantId}`,
      authorityMetadata: await (
        await fetch(`${urls.token}/${app.tenantId}/v2.0/.well-known/openid-configuration`)
      ).text(),
    },
  });
  await expect(
    wrongSecret.acquireTokenByClientCredential({ scopes: [`${urls.finance}/.default`] }),
  ).rejects.toMatchObject({
    errorCode: 'invalid_client',
  });
});
