import { requestToken, startSandboxClient, type SandboxClient } from './support/sandbox-client';

// In compose the product reaches the sandboxes by service name: their URLs, token audiences and links must
// carry that name, not 127.0.0.1. `localhost` stands in for it here because it resolves on any machine.
let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true, publicHost: 'localhost' });
});
afterAll(() => client.close());

test('the URLs carry the public host name', () => {
  for (const url of Object.values(client.sandboxes.urls)) expect(new URL(url).hostname).toBe('localhost');
});

test('a token for the environment URL under that name is issued and accepted, and links use it', async () => {
  const { dataverse, finance } = client.sandboxes.urls;
  const unknownResource = await requestToken(
    client.sandboxes,
    `${dataverse.replace('localhost', '127.0.0.1')}/.default`,
  );
  expect(unknownResource.status).toBe(400);

  const response = await client.dataverse('accounts?$select=name', {
    headers: { Prefer: 'odata.maxpagesize=1' },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { '@odata.nextLink': string; '@odata.context': string };
  expect(body['@odata.nextLink'].startsWith(`${dataverse}/api/data/v9.2/accounts?`)).toBe(true);
  expect(body['@odata.context'].startsWith(`${dataverse}/api/data/v9.2/$metadata`)).toBe(true);

  const customers = await client.finance('CustomersV3?$top=1');
  expect(customers.status).toBe(200);
  expect(((await customers.json()) as { '@odata.context': string })['@odata.context']).toBe(
    `${finance}/data/$metadata#CustomersV3`,
  );
});
