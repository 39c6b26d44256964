import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from './config';

/**
 * Connection options for workers and clients. `@temporalio/envconfig` reads the standard Temporal
 * settings (a TOML profile, `TEMPORAL_API_KEY`, `TEMPORAL_TLS*`), so the same build connects to the
 * local dev server, a self-hosted cluster with mTLS, or Temporal Cloud with an API key.
 */
export function temporalConnection(config: Config, env: NodeJS.ProcessEnv = process.env) {
  const envVars = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars: envVars });
  const options: NativeConnectionOptions & { address: string } = {
    ...connectionOptions,
    address: connectionOptions.address ?? config.temporal.address,
  };
  return {
    connectionOptions: options,
    namespace: namespace ?? config.temporal.namespace,
  };
}
