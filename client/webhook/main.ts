import { Command } from 'commander';
import { hasWorkOrderFlow } from '../../activities/watchers/header-filter';
import { loadConfigOrExit } from '../../config/config';
import { createConfidentialClient, createConnectors } from '../../connectors';
import { loadMappingProjectOrExit } from '../../mappings/project/load-or-exit';
import { createWebhookServer } from './server';
import { connectWhenReadyOrExit } from './startup-wait';
import { startupRefusal, type WebhookListenOptions } from './startup-refusal';
import { selectedWorkOrderLookup } from './work-order-lookup';
import { connectorCatalog } from '../../connectors/entities/catalog';
import { startConfiguredTracing } from '../../connectors/tracing/sdk';

/** The webhook process: receives Dataverse and F&O events on `WEBHOOK_PORT`; Ctrl-C stops it. */
async function main(options: WebhookListenOptions): Promise<void> {
  const { host } = options;
  const config = loadConfigOrExit();
  const refusal = startupRefusal(config.webhook.secret, options);
  if (refusal) {
    console.error(refusal);
    process.exit(2);
  }
  const project = loadMappingProjectOrExit(config.mappingProject, connectorCatalog());
  if (!hasWorkOrderFlow(project)) {
    console.error(
      `Mapping project ${project.name} has no work order → sales order task: the webhooks serve work orders ` +
        'only (add the template work-orders-to-sales-orders to its extends, or do not run them)',
    );
    process.exit(2);
  }
  const tracing = startConfiguredTracing(config.tracing, 'fsfo-webhook');
  // One Entra ID app for the start-up check and the connectors: the token it got is the one they use.
  const entra = createConfidentialClient(config.azure);
  const client = await connectWhenReadyOrExit(config, { client: entra });
  const { dataverse } = createConnectors(config, { entra });
  const server = createWebhookServer({
    client,
    config,
    dataverse,
    selectedWorkOrder: selectedWorkOrderLookup(dataverse, project),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  server.listen(config.webhook.port, host, () => {
    const key = config.webhook.secret ? 'required' : 'NOT required (--insecure-loopback)';
    console.log(`Webhooks on http://${host}:${config.webhook.port}/webhooks/... (key ${key})`);
  });
  const stop = () => {
    server.close(() => void Promise.all([client.connection.close(), tracing?.shutdown()]));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const options = new Command('fsfo-webhook')
  .description('receives Dataverse work order events and F&O business events')
  // Loopback by default: expose it through a reverse proxy with TLS, or bind 0.0.0.0 in a container.
  .option('--host <address>', 'the address to listen on', '127.0.0.1')
  .option(
    '--insecure-loopback',
    'accept requests without a key (WEBHOOK_SECRET unset); loopback --host only',
    false,
  )
  .parse()
  .opts<WebhookListenOptions>();

main(options).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
