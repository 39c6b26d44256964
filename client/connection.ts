import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config/config';
import { temporalConnection } from '../config/temporal';
import { clientInterceptors } from './tracing';

export async function connectClient(config: Config): Promise<Client> {
  const { connectionOptions, namespace } = temporalConnection(config);
  const connection = await Connection.connect(connectionOptions);
  return new Client({ connection, namespace, interceptors: clientInterceptors(config.tracing) });
}
