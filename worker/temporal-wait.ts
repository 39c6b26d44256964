import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { AwaitedService } from '../config/startup/wait-for-service';
import { temporalFailure } from '../config/startup/temporal-failure';

/** Connects within `timeoutMs`; a connection that comes later is closed, not leaked. */
async function connectWithin(options: NativeConnectionOptions, timeoutMs: number): Promise<NativeConnection> {
  const connecting = NativeConnection.connect(options);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([connecting, timeout]);
  } catch (err) {
    connecting.then((late) => late.close()).catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** The worker's Temporal server, ready once it answers for the namespace the worker polls. */
export function temporalForWorker(
  options: NativeConnectionOptions & { address: string },
  namespace: string,
): AwaitedService<NativeConnection> {
  return {
    name: `Temporal at ${options.address} (namespace ${namespace})`,
    check: 'that the Temporal server runs and TEMPORAL_ADDRESS',
    attempt: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      let connection: NativeConnection | undefined;
      try {
        const connected = await connectWithin(options, timeoutMs);
        connection = connected;
        await connected.withDeadline(deadline, () =>
          connected.workflowService.describeNamespace({ namespace }),
        );
        return { ready: connected };
      } catch (err) {
        await connection?.close().catch(() => undefined);
        return temporalFailure(err, namespace) ?? { retry: err instanceof Error ? err.message : String(err) };
      }
    },
  };
}
