import { Command } from 'commander';
import { hasWorkOrderFlow } from '../../activities/watchers/header-filter';
import { loadConfigOrExit } from '../../config/config';
import { createConnectors } from '../../connectors';
import { loadMappingProjectOrExit } from '../../mappings/project/load-or-exit';
import { connectClient } from '../connection';
import { createWebhookServer } from './server';
import { selectedWorkOrderLookup } from './work-order-lookup';
import { connectorCatalog } from '../../connectors/entities/catalog';

/** The webhook process: receives Dataverse and F&O events on `WEBHOOK_PORT`; Ctrl-C stops it. */
async function main(host: string): Promise<void> {
  const config = loadConfigOrExit();
  const project = loadMappingProjectOrExit(config.mappingProject, connectorCatalog());
  if (!hasWorkOrderFlow(project)) {
    console.error(
      `Mapping project ${project.name} has no work order → sales order task: the webhooks serve work orders ` +
        'only (add the template work-orders-to-sales-orders to its extends, or do not run them)',
    );
    process.exit(2);
  }
  const client = await connectClient(config);
  const { dataverse } = createConnectors(config);
  const server = createWebhookServer({
    client,
    config,
    dataverse,
    selectedWorkOrder: selectedWorkOrderLookup(dataverse, project),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  server.listen(config.webhook.port, host, () => {
    const key = config.webhook.secret ? 'required' : 'not configured (WEBHOOK_SECRET unset)';
    console.log(`Webhooks on http://${host}:${config.webhook.port}/webhooks/... (key ${key})`);
  });
  const stop = () => {
    server.close(() => void client.connection.close());
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const { host } = new Command('fsfo-webhook')
  .description('receives Dataverse work order events and F&O business events')
  // Loopback by default: expose it through a reverse proxy with TLS, or bind 0.0.0.0 in a container.
  .option('--host <address>', 'the address to listen on', '127.0.0.1')
  .parse()
  .opts<{ host: string }>();

main(host).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
