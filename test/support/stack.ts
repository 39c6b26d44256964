import { setTimeout as delay } from 'node:timers/promises';
import { type Config, loadConfig } from '../../config/config';
import { type RunningSandboxes, type SandboxOptions, startSandboxes } from '../../sandboxes';
import { uniqueTaskQueue } from './temporal';

/**
 * The Dynamics 365 sandboxes, the product's configuration pointed at them and at the run's Temporal
 * server, and plain-HTTP access for assertions (independent of the product's connectors).
 */
export interface Stack {
  sandboxes: RunningSandboxes;
  config: Config;
  dataverse: <T = Record<string, unknown>>(path: string) => Promise<T>;
  finance: <T = Record<string, unknown>>(path: string) => Promise<T>;
  /** POSTs a row to the Dataverse Web API and returns its id. */
  createInDataverse: (entitySet: string, body: Record<string, unknown>) => Promise<string>;
  deleteInDataverse: (path: string) => Promise<void>;
  /**
   * PATCHes a row of the Dataverse Web API, as a Field Service user's edit: the application user's, or
   * the user `asUser` names (`systemuserid`, sent as `MSCRMCallerID`).
   */
  updateInDataverse: (path: string, body: Record<string, unknown>, asUser?: string) => Promise<void>;
  /** POSTs a record to the F&O OData service, as an F&O user would create it. */
  createInFinance: (entitySet: string, body: Record<string, unknown>) => Promise<void>;
  control: (
    service: 'dataverse' | 'finance',
    path: string,
    body?: unknown,
    method?: string,
  ) => Promise<Response>;
  close: () => Promise<void>;
}

/** The variables that point a product process at the sandboxes: their URLs and their app's credentials. */
export function sandboxEnvironment({ urls, app }: RunningSandboxes): NodeJS.ProcessEnv {
  return {
    FS_URL: urls.dataverse,
    FNO_URL: urls.finance,
    AZURE_TENANT_ID: app.tenantId,
    AZURE_CLIENT_ID: app.clientId,
    AZURE_CLIENT_SECRET: app.clientSecret,
    AZURE_TOKEN_URL: `${urls.token}/${app.tenantId}/oauth2/v2.0/token`,
  };
}

/** The product's configuration pointed at the sandboxes and the run's Temporal server, with a task queue of its own. */
export function configFor(sandboxes: RunningSandboxes, prefix: string, env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    ...sandboxEnvironment(sandboxes),
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue(prefix),
    ...env,
  });
}

export async function startStack(
  prefix: string,
  options: SandboxOptions = {},
  env: NodeJS.ProcessEnv = {},
): Promise<Stack> {
  const sandboxes = await startSandboxes({ seed: true, ...options });
  const { urls, app } = sandboxes;
  const config = configFor(sandboxes, prefix, env);

  const token = async (resource: string) => {
    const response = await fetch(`${urls.token}/${app.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: app.clientId,
        client_secret: app.clientSecret,
        grant_type: 'client_credentials',
        scope: `${resource}/.default`,
      }),
    });
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const getter =
    (base: string, root: string) =>
    async <T>(path: string) => {
      // An observer's read: while a test injects faults, it waits out throttling and 503s like a person would.
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(`${base}${root}${path}`, {
          headers: { authorization: `Bearer ${await token(base)}`, accept: 'application/json' },
        });
        if ((response.status === 429 || response.status === 503) && attempt < 30) {
          await response.body?.cancel();
          await delay(Number(response.headers.get('retry-after') ?? 0) * 1000 || 200);
          continue;
        }
        if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
        return (await response.json()) as T;
      }
    };
  return {
    sandboxes,
    config,
    dataverse: getter(urls.dataverse, '/api/data/v9.2/'),
    finance: getter(urls.finance, '/data/'),
    createInDataverse: async (entitySet, body) => {
      const response = await fetch(`${urls.dataverse}/api/data/v9.2/${entitySet}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await token(urls.dataverse)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      if (response.status !== 204)
        throw new Error(`POST ${entitySet}: ${response.status} ${await response.text()}`);
      return /\(([^)]+)\)$/.exec(response.headers.get('odata-entityid') ?? '')![1]!;
    },
    deleteInDataverse: async (path) => {
      const response = await fetch(`${urls.dataverse}/api/data/v9.2/${path}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${await token(urls.dataverse)}` },
      });
      if (response.status !== 204)
        throw new Error(`DELETE ${path}: ${response.status} ${await response.text()}`);
    },
    updateInDataverse: async (path, body, asUser) => {
      const response = await fetch(`${urls.dataverse}/api/data/v9.2/${path}`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${await token(urls.dataverse)}`,
          'content-type': 'application/json',
          'if-match': '*',
          ...(asUser ? { mscrmcallerid: asUser } : {}),
        },
        body: JSON.stringify(body),
      });
      if (response.status !== 204)
        throw new Error(`PATCH ${path}: ${response.status} ${await response.text()}`);
    },
    createInFinance: async (entitySet, body) => {
      const response = await fetch(`${urls.finance}/data/${entitySet}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await token(urls.finance)}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`POST ${entitySet}: ${response.status} ${await response.text()}`);
    },
    control: (service, path, body, method = 'POST') =>
      fetch(`${urls[service]}/_sandbox/${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    close: () => sandboxes.close(),
  };
}
