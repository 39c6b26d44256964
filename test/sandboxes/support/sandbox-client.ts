import { startSandboxes, type RunningSandboxes, type SandboxOptions } from '../../../sandboxes';

export interface SandboxClient {
  sandboxes: RunningSandboxes;
  /** A client-credentials token for `resource` (an environment URL). */
  token(resource: string): Promise<string>;
  /** A request to the Dataverse Web API; `path` is relative to `/api/data/v9.2/`. */
  dataverse(path: string, init?: RequestInit): Promise<Response>;
  /** A request to F&O OData; `path` is relative to `/data/`. */
  finance(path: string, init?: RequestInit): Promise<Response>;
  /** A control API request on the given service. */
  control(service: 'token' | 'dataverse' | 'finance', path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startSandboxClient(options: SandboxOptions = {}): Promise<SandboxClient> {
  const sandboxes = await startSandboxes(options);
  const tokens = new Map<string, string>();
  const token = async (resource: string) => {
    const response = await requestToken(sandboxes, `${resource}/.default`);
    const body = (await response.json()) as { access_token: string };
    return body.access_token;
  };
  const call = async (base: string, path: string, init: RequestInit = {}) => {
    const cached = tokens.get(base) ?? (await token(base));
    tokens.set(base, cached);
    const headers = new Headers(init.headers);
    if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${cached}`);
    return fetch(path.startsWith('http') ? path : `${base}${path}`, { ...init, headers });
  };
  return {
    sandboxes,
    token,
    dataverse: (path, init) =>
      call(sandboxes.urls.dataverse, path.startsWith('http') ? path : `/api/data/v9.2/${path}`, init),
    finance: (path, init) =>
      call(sandboxes.urls.finance, path.startsWith('http') ? path : `/data/${path}`, init),
    control: (service, path, init) => fetch(`${sandboxes.urls[service]}/_sandbox/${path}`, init),
    close: () => sandboxes.close(),
  };
}

/** Posts a client-credentials token request with the registered app's credentials, overridable. */
export function requestToken(
  sandboxes: RunningSandboxes,
  scope: string,
  overrides: Record<string, string> = {},
  tenant = sandboxes.app.tenantId,
): Promise<Response> {
  const form = new URLSearchParams({
    client_id: sandboxes.app.clientId,
    client_secret: sandboxes.app.clientSecret,
    grant_type: 'client_credentials',
    scope,
    ...overrides,
  });
  return fetch(`${sandboxes.urls.token}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: form,
  });
}

export function json(body: unknown): RequestInit {
  return { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}
