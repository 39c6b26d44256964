import type { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config/config';
import { orExit } from '../config/startup/or-exit';
import { waitForServices } from '../config/startup/wait-for-service';
import { DEFAULT_WAIT_LIMIT_MS } from '../config/startup/wait-limit';
import { temporalConnection } from '../config/temporal';
import { tokenCheck, type TokenCheckOptions } from '../connectors/auth/token-check';
import { temporalForWorker } from './temporal-wait';

/**
 * Waits for what the worker needs before it polls: its Temporal namespace, and a token for Dataverse and for
 * F&O (an app the token endpoint refuses would park every work order), asked of the Entra ID app the
 * connectors then use, so its tokens are not requested twice. One line per wait, exit 1 at the
 * limit, exit 2 at once when waiting cannot help.
 */
export function connectWhenReadyOrExit(
  config: Config,
  tokenOptions: TokenCheckOptions,
): Promise<NativeConnection> {
  const { connectionOptions, namespace } = temporalConnection(config);
  const tokens = tokenCheck(
    config.azure,
    [
      { label: 'Dataverse', url: config.fieldService.url },
      { label: 'F&O', url: config.finance.url },
    ],
    tokenOptions,
  );
  return orExit(
    waitForServices(temporalForWorker(connectionOptions, namespace), [tokens], {
      limitMs: config.startupWaitLimitMs ?? DEFAULT_WAIT_LIMIT_MS.service,
      log: (line) => console.error(line),
    }),
  );
}
