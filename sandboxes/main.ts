/**
 * The sandboxes as a process (`npx tsx sandboxes/main.ts`, used by `npm start`): fixed ports, state persisted
 * under `.data/sandboxes/`, demo data seeded when there is no saved state. SIGINT/SIGTERM save and stop.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSandboxes } from './index';

const dataDir = resolve(process.env.FSFO_DATA_DIR ?? join(__dirname, '..', '.data'), 'sandboxes');
const persistFile = join(dataDir, 'state.json');

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const restored = existsSync(persistFile);
  const sandboxes = await startSandboxes({
    ports: { token: 5081, dataverse: 5082, finance: 5083 },
    persistFile,
    seed: true,
    businessEventUrl: process.env.FSFO_BUSINESS_EVENT_URL,
    bindHost: process.env.SANDBOX_BIND_HOST,
  });
  console.log(
    `Dynamics 365 sandboxes ${restored ? `(state restored from ${persistFile})` : '(demo data seeded)'}`,
  );
  console.log(`  Entra ID token:  ${sandboxes.urls.token}/${sandboxes.app.tenantId}/oauth2/v2.0/token`);
  console.log(`  Dataverse:       ${sandboxes.urls.dataverse}/api/data/v9.2/`);
  console.log(`  Finance and Ops: ${sandboxes.urls.finance}/data/`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: saving state and stopping the sandboxes`);
    sandboxes.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
