import { loadConfig } from '../../config/config';
import { createConnectors } from '../../connectors/create-connectors';
import { accounts } from '../../connectors/entities/dataverse';
import { customers } from '../../connectors/entities/finance';
import { type RunningSandboxes, startSandboxes } from '../../sandboxes';

// The compose demo in miniature: the product reaches the sandboxes under a name that is not one of its
// loopback names, over plain http, configured as docker-compose.demo.yml configures it. 127.0.0.2 stands in for
// `sandboxes`: it needs no DNS, and the product's config does not count it as loopback.
const HOST = '127.0.0.2';
let sandboxes: RunningSandboxes;

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: true, bindHost: HOST, publicHost: HOST });
});
afterAll(() => sandboxes.close());

test('the connectors get tokens, read Dataverse page by page and read F&O under that name', async () => {
  const { app, urls } = sandboxes;
  const config = loadConfig({
    FS_URL: urls.dataverse,
    FNO_URL: urls.finance,
    AZURE_TOKEN_URL: `${urls.token}/${app.tenantId}/oauth2/v2.0/token`,
    AZURE_TENANT_ID: app.tenantId,
    AZURE_CLIENT_ID: app.clientId,
    AZURE_CLIENT_SECRET: app.clientSecret,
    ALLOW_HTTP_HOSTS: HOST,
  });
  expect(new URL(config.fieldService.url).hostname).toBe(HOST);
  const { dataverse, finance } = createConnectors(config);

  const names: string[] = [];
  for await (const account of dataverse.query(accounts, { select: ['name'], pageSize: 1 })) {
    names.push(account.name!);
    if (names.length === 3) break;
  }
  expect(names).toHaveLength(3);
  await expect(finance.retrieve(customers, { CustomerAccount: 'US-001' })).resolves.toMatchObject({
    CustomerAccount: 'US-001',
  });
});
