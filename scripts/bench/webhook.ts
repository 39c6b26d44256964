import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import {
  registerProjectWebhook,
  unregisterWorkOrderWebhook,
  WORK_ORDER_ROUTE,
} from '../../client/webhook/registration';
import { loadConfig } from '../../config/config';
import { createConnectors } from '../../connectors';
import { connectorCatalog } from '../../connectors/entities/catalog';
import { loadMappingProject } from '../../mappings/project/loader';
import { startChildWorker } from './processes';

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface BenchWebhook {
  /** Unregisters the Dataverse steps and stops the process. */
  stop(): Promise<void>;
}

/**
 * The product's webhook process (`client/webhook/main.ts`) as a child, with a key of its own, registered
 * in the Dataverse sandbox with the code of `fsfo webhook register`.
 */
export async function startBenchWebhook(env: NodeJS.ProcessEnv): Promise<BenchWebhook> {
  const port = await freePort();
  const webhookEnv = { ...env, WEBHOOK_PORT: String(port), WEBHOOK_SECRET: randomBytes(24).toString('hex') };
  const child = await startChildWorker(
    'client/webhook/main.ts',
    webhookEnv,
    'webhook',
    60_000,
    true,
    'Webhooks on',
  );
  const config = loadConfig(webhookEnv);
  const { dataverse } = createConnectors(config);
  try {
    await registerProjectWebhook(
      dataverse,
      loadMappingProject(config.mappingProject, connectorCatalog()),
      `http://127.0.0.1:${port}${WORK_ORDER_ROUTE}`,
      config.webhook.secret,
    );
  } catch (err) {
    await child.stop();
    throw err;
  }
  return {
    stop: async () => {
      await unregisterWorkOrderWebhook(dataverse);
      await child.stop();
    },
  };
}
