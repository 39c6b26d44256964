import type { Client } from '@temporalio/client';
import type { Config } from '../../config/config';
import { orExit } from '../../config/startup/or-exit';
import { waitForServices } from '../../config/startup/wait-for-service';
import { DEFAULT_WAIT_LIMIT_MS } from '../../config/startup/wait-limit';
import { temporalConnection } from '../../config/temporal';
import { tokenCheck, type TokenCheckOptions } from '../../connectors/auth/token-check';
import { temporalForClient } from '../temporal-wait';
import { clientInterceptors } from '../tracing';

/**
 * Waits for what the webhook needs before it listens: its Temporal namespace and a token for Dataverse,
 * which it reads work orders from (it calls nothing in F&O). One line per wait, exit 1 at the limit,
 * exit 2 at once when waiting cannot help.
 */
export function connectWhenReadyOrExit(config: Config, tokenOptions: TokenCheckOptions): Promise<Client> {
  const { connectionOptions, namespace } = temporalConnection(config);
  const tokens = tokenCheck(
    config.azure,
    [{ label: 'Dataverse', url: config.fieldService.url }],
    tokenOptions,
  );
  return orExit(
    waitForServices(
      temporalForClient(connectionOptions, namespace, clientInterceptors(config.tracing)),
      [tokens],
      {
        limitMs: config.startupWaitLimitMs ?? DEFAULT_WAIT_LIMIT_MS.service,
        log: (line) => console.error(line),
      },
    ),
  );
}
