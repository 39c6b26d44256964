import { Client, Connection, type ClientInterceptors, type ConnectionOptions } from '@temporalio/client';
import type { AwaitedService } from '../config/startup/wait-for-service';
import { temporalFailure } from '../config/startup/temporal-failure';
import { noGrpcAnswer, probeTemporal } from './temporal-probe';

/** A client's Temporal server, ready once it answers for the client's namespace (the client has `interceptors`). */
export function temporalForClient(
  options: ConnectionOptions & { address: string },
  namespace: string,
  interceptors?: ClientInterceptors,
): AwaitedService<Client> {
  return {
    name: `Temporal at ${options.address} (namespace ${namespace})`,
    check: 'that the Temporal server runs and TEMPORAL_ADDRESS',
    attempt: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      const probe = await probeTemporal(options, timeoutMs);
      if (!('open' in probe)) return probe;
      let connection: Connection | undefined;
      try {
        // A new connection per attempt: gRPC's own reconnect backoff grows to 2 minutes.
        const connected = await Connection.connect({
          ...options,
          connectTimeout: Math.max(1, deadline - Date.now()),
        });
        connection = connected;
        await connected.withDeadline(deadline, () =>
          connected.workflowService.describeNamespace({ namespace }),
        );
        return { ready: new Client({ connection: connected, namespace, interceptors }) };
      } catch (err) {
        await connection?.close().catch(() => undefined);
        return temporalFailure(err, namespace) ?? noGrpcAnswer(options);
      }
    },
  };
}
