/**
 * The sandboxes as a process (`npx tsx sandboxes/main.ts`, used by `npm start`): fixed ports, state persisted
 * under `.data/sandboxes/`, demo data seeded when there is no saved state. SIGINT/SIGTERM save and stop.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSandboxes } from './index';

const dataDir = resolve(process.env.FSFO_DATA_DIR ?? join(__dirname, '..', '.data'), 'sandboxes');
const persistFile = join(dataDir, 'state.json');

/** A port from the environment (`npm start` passes those of the configured URLs), else the fixed default. */
function port(value: string | undefined, fallback: number): number {
  return value ? Number(value) : fallback;
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const restored = existsSync(persistFile);
  const sandboxes = await startSandboxes({
    ports: {
      token: port(process.env.SANDBOX_TOKEN_PORT, 5081),
      dataverse: port(process.env.SANDBOX_DATAVERSE_PORT, 5082),
      finance: port(process.env.SANDBOX_FINANCE_PORT, 5083),
    },
    persistFile,
    seed: true,
    businessEventUrl: process.env.FSFO_BUSINESS_EVENT_URL,
    bindHost: process.env.SANDBOX_BIND_HOST,
    publicHost: process.env.SANDBOX_PUBLIC_HOST,
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
