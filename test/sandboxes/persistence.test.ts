import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { json, startSandboxClient } from './support/sandbox-client';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fsfo-sandboxes-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

test('state saved to the persist file survives a restart, tokens included; seeding only happens without saved state', async () => {
  const persistFile = join(directory, 'state.json');
  const first = await startSandboxClient({ persistFile, seed: true });
  const created = await first.dataverse('accounts', {
    method: 'POST',
    ...json({ name: 'Kept', accountnumber: 'KEEP-1' }),
  });
  expect(created.status).toBe(204);
  await first.finance('CustomersV3', {
    method: 'POST',
    ...json({ CustomerAccount: 'KEEP-1', OrganizationName: 'Kept' }),
  });
  await first.dataverse(`accounts(accountnumber='US-003')`, { method: 'DELETE' });
  const token = await first.token(first.sandboxes.urls.dataverse);
  const port = Number(new URL(first.sandboxes.urls.dataverse).port);
  await first.close();
  expect(JSON.parse(await readFile(persistFile, 'utf8'))).toHaveProperty('dataverse.tables.accounts');

  const second = await startSandboxClient({ persistFile, seed: true, ports: { dataverse: port } });
  try {
    const kept = await second.dataverse(`accounts(accountnumber='KEEP-1')?$select=name`);
    expect(kept.status).toBe(200);
    expect((await second.dataverse(`accounts(accountnumber='US-003')`)).status).toBe(404);
    expect((await second.finance(`CustomersV3(dataAreaId='usmf',CustomerAccount='KEEP-1')`)).status).toBe(
      200,
    );
    const withOldToken = await fetch(`${second.sandboxes.urls.dataverse}/api/data/v9.2/accounts?$top=1`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(withOldToken.status).toBe(200);
  } finally {
    await second.close();
  }
});
