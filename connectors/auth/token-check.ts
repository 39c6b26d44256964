import type { AwaitedService } from '../../config/startup/wait-for-service';
import { D365Error } from '../errors';
import type { ConfidentialClientApplication } from '@azure/msal-node';
import type { RequestObserver } from '../http/request-observer';
import type { EntraCredentials } from './entra-credentials';
import { createConfidentialClient, msalTokenProvider, tokenEndpoint } from './msal-token-provider';

export interface TokenCheckOptions {
  /** The Entra ID app to ask, so the tokens land in the cache of whoever uses it next. */
  client?: ConfidentialClientApplication;
  /** Told of each token request, as the connectors' requests are. */
  observer?: RequestObserver;
}

/** A Dynamics 365 environment a process needs a token for. */
export interface TokenResource {
  /** How the lines name it: "Dataverse", "F&O". */
  label: string;
  url: string;
}

function timeoutAfter(ms: number): { promise: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.ceil(ms / 1000)} s`)), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/** What the token endpoint answered, as a line shows it (MSAL's network errors say only "fetch failed"). */
function answerOf(err: D365Error): string {
  if (err.kind === 'network') return 'unreachable (the request failed on the network)';
  const status = err.status ? `${err.status} ` : '';
  return `${status}${err.code ? `${err.code}: ` : ''}${err.serviceMessage}`;
}

/**
 * A token for each resource, requested as the connectors will request it: ready once every one is granted;
 * retried while the endpoint is unreachable, throttles or answers 5xx (MSAL then also holds back for the
 * endpoint's Retry-After); refused when it turns the app's credentials down (400, 401). The lines name the
 * endpoint without its query string; the secret never appears (MSAL's errors omit it).
 */
export function tokenCheck(
  credentials: EntraCredentials,
  resources: readonly TokenResource[],
  { client = createConfidentialClient(credentials), observer }: TokenCheckOptions = {},
): AwaitedService<void> {
  const providers = resources.map((resource) => ({
    ...resource,
    provider: msalTokenProvider(client, resource.url, observer),
  }));
  const endpoint = tokenEndpoint(credentials).replace(/[?#].*$/, '');
  return {
    name: `the Entra ID token endpoint ${endpoint} (tokens for ${resources.map((r) => r.label).join(' and ')})`,
    check: 'that the token endpoint is reachable from here (proxy, firewall, AZURE_TOKEN_URL)',
    attempt: async (timeoutMs) => {
      const timeout = timeoutAfter(timeoutMs);
      try {
        for (const { label, url, provider } of providers) {
          try {
            await Promise.race([provider.getToken(), timeout.promise]);
          } catch (err) {
            if (!(err instanceof D365Error))
              return { retry: err instanceof Error ? err.message : String(err) };
            if (err.retryable) return { retry: answerOf(err) };
            return {
              refused:
                `the app's credentials were refused for ${label} ${url} (${answerOf(err)}): check ` +
                'AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET',
            };
          }
        }
        return { ready: undefined };
      } finally {
        timeout.clear();
      }
    },
  };
}
