import { loadConfigOrExit } from '../../config/config';
import { createConnectors } from '../../connectors';
import { loadMappingProjectOrExit } from '../../mappings/project/load-or-exit';
import { connectClient } from '../connection';
import { createWebhookServer } from './server';
import { selectedWorkOrderLookup } from './work-order-lookup';

/** Loopback unless a reverse proxy in front of it is configured to forward to another address. */
const HOST = '127.0.0.1';

/** The webhook process: receives Dataverse and F&O events on `WEBHOOK_PORT`; Ctrl-C stops it. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const project = loadMappingProjectOrExit(config.mappingProject);
  const client = await connectClient(config);
  const { dataverse } = createConnectors(config);
  const server = createWebhookServer({
    client,
    config,
    selectedWorkOrder: selectedWorkOrderLookup(dataverse, project),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  server.listen(config.webhook.port, HOST, () => {
    const key = config.webhook.secret ? 'required' : 'not configured (WEBHOOK_SECRET unset)';
    console.log(`Webhooks on http://${HOST}:${config.webhook.port}/webhooks/... (key ${key})`);
  });
  const stop = () => {
    server.close(() => void client.connection.close());
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
