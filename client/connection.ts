import type { Client } from '@temporalio/client';
import type { Config } from '../config/config';
import { waitForService } from '../config/startup/wait-for-service';
import { DEFAULT_WAIT_LIMIT_MS } from '../config/startup/wait-limit';
import { temporalConnection } from '../config/temporal';
import { temporalForClient } from './temporal-wait';
import { clientInterceptors } from './tracing';

/**
 * A client on the configured namespace, waiting for Temporal up to STARTUP_WAIT_LIMIT (`defaultLimitMs`
 * when unset), tracing its calls when tracing is configured; throws a `StartupFailure` whose message is
 * the one line to print.
 */
export async function connectClient(
  config: Config,
  defaultLimitMs: number = DEFAULT_WAIT_LIMIT_MS.cli,
): Promise<Client> {
  const { connectionOptions, namespace } = temporalConnection(config);
  return waitForService(temporalForClient(connectionOptions, namespace, clientInterceptors(config.tracing)), {
    limitMs: config.startupWaitLimitMs ?? defaultLimitMs,
    log: (line) => console.error(line),
  });
}
