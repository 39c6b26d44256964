import type { Command } from 'commander';
import { z } from 'zod';
import { hasWorkOrderFlow } from '../../activities/watchers/header-filter';
import type { Config } from '../../config/config';
import { createConnectors } from '../../connectors';
import { connectorCatalog } from '../../connectors/entities/catalog';
import { loadMappingProjectOrExit } from '../../mappings/project/load-or-exit';
import { WEBHOOK_KEY_HEADER } from '../webhook/authorization';
import {
  ENDPOINT_NAME,
  isLoopback,
  registerProjectWebhook,
  stepName,
  unregisterWorkOrderWebhook,
  WORK_ORDER_ROUTE,
} from '../webhook/registration';

export function registerWebhookCommands(program: Command, loadConfig: () => Config): void {
  const webhook = program
    .command('webhook')
    .description('the Dataverse webhook that tells the integration at once when a work order changes');

  webhook
    .command('register')
    .description(
      'create or update the service endpoint and the asynchronous Create and Update steps on msdyn_workorder',
    )
    .requiredOption('--url <url>', `the public URL of the webhook endpoint's ${WORK_ORDER_ROUTE}`)
    .action(async (options: { url: string }) => {
      const config = loadConfig();
      const project = loadMappingProjectOrExit(config.mappingProject, connectorCatalog());
      if (!hasWorkOrderFlow(project)) {
        console.error(
          `Mapping project ${project.name} has no work order → sales order task: nothing to register.`,
        );
        process.exitCode = 2;
        return;
      }
      if (!config.webhook.secret && !(URL.canParse(options.url) && isLoopback(new URL(options.url)))) {
        console.error(
          'WEBHOOK_SECRET is not set: the endpoint would accept anyone. Set it (at least 16 characters) for the ' +
            'webhook process and for this command.',
        );
        process.exitCode = 2;
        return;
      }
      try {
        const { dataverse } = createConnectors(config);
        const outcome = await registerProjectWebhook(dataverse, project, options.url, config.webhook.secret);
        const key = config.webhook.secret ? `key in header ${WEBHOOK_KEY_HEADER}` : 'no key';
        console.log(`Service endpoint "${ENDPOINT_NAME}": ${outcome.endpoint} (${options.url}, ${key})`);
        for (const [message, result] of Object.entries(outcome.steps)) {
          const image = outcome.images[message as 'Create' | 'Update'];
          console.log(
            `Step "${stepName(message as 'Create' | 'Update')}": ${result} (asynchronous, post-operation; ` +
              `post image ${image})`,
          );
        }
      } catch (err) {
        if (!(err instanceof z.ZodError)) throw err;
        console.error(`Invalid --url: ${z.prettifyError(err)}`);
        process.exitCode = 2;
      }
    });

  webhook
    .command('unregister')
    .description('delete the steps and the service endpoint that "fsfo webhook register" created')
    .action(async () => {
      const { dataverse } = createConnectors(loadConfig());
      const deleted = await unregisterWorkOrderWebhook(dataverse);
      console.log(deleted > 0 ? `Deleted ${deleted} registration rows.` : 'No webhook was registered.');
    });
}
