import { log } from '@temporalio/activity';
import type { Config } from '../config/config';
import { createConnectors, type Connectors } from '../connectors';

export type D365Clients = Connectors;

/**
 * The worker's Dataverse and F&O clients, one set shared by every activity (one token cache).
 * They report through the activity logger, which tags each line with the running activity.
 */
export function createD365Clients(config: Config): D365Clients {
  return createConnectors(config, log);
}
