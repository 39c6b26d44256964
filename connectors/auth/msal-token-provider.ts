import {
  AuthError,
  ClientConfigurationError,
  ConfidentialClientApplication,
  ServerError,
  type Configuration,
} from '@azure/msal-node';
import { D365Error, type D365ErrorKind } from '../errors';
import type { RequestObserver } from '../http/request-observer';
import type { EntraCredentials } from './entra-credentials';
import type { TokenProvider } from './token-provider';

const AUTHORITY_HOST = 'https://login.microsoftonline.com';

/**
 * One confidential client per app registration, shared by every resource it calls so MSAL's
 * in-memory cache serves each scope until shortly before its token expires.
 */
export function createConfidentialClient(credentials: EntraCredentials): ConfidentialClientApplication {
  const authority = `${AUTHORITY_HOST}/${credentials.tenantId}`;
  const auth: Configuration['auth'] = {
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret.reveal(),
    authority,
  };
  if (credentials.tokenUrl) {
    // docs/dynamics-365-wire.md#tokens: the real authority, with metadata naming another token endpoint, so
    // MSAL makes no discovery call and posts the client credentials there.
    auth.authorityMetadata = JSON.stringify({
      token_endpoint: credentials.tokenUrl,
      issuer: `${AUTHORITY_HOST}/${credentials.tenantId}/v2.0`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    });
  }
  return new ConfidentialClientApplication({ auth, system: { loggerOptions: { piiLoggingEnabled: false } } });
}

/** Where MSAL posts the client credentials: `AZURE_TOKEN_URL`, or the tenant's endpoint at Microsoft. */
export function tokenEndpoint(credentials: EntraCredentials): string {
  return credentials.tokenUrl ?? `${AUTHORITY_HOST}/${credentials.tenantId}/oauth2/v2.0/token`;
}

/** `<resource>/.default`: the scope of a client-credentials token for a Dynamics 365 environment. */
export function defaultScope(resourceUrl: string): string {
  return `${resourceUrl.replace(/\/+$/, '')}/.default`;
}

/** MSAL's own refresh offset: a token is renewed this long before it expires. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * Bearer tokens for one resource (a Dataverse or F&O environment URL). Concurrent callers share
 * one token request, so a burst of activities on a cold cache asks Entra ID once. The token is kept
 * here until MSAL would renew it: MSAL's cache lookup cost about 1 ms of CPU per request, a tenth of
 * the worker's time on a work order. `observer` is told of each request MSAL sent to the token endpoint
 * (not of answers from its cache).
 */
export function msalTokenProvider(
  client: ConfidentialClientApplication,
  resourceUrl: string,
  observer?: RequestObserver,
): TokenProvider {
  const scopes = [defaultScope(resourceUrl)];
  let pending: Promise<string> | undefined;
  let cached: { token: string; renewAt: number } | undefined;
  const observe = (started: number, status: number | undefined) =>
    observer?.({
      service: 'token',
      entitySet: 'token',
      method: 'POST',
      status,
      durationMs: Date.now() - started,
    });
  const acquire = async (forceRefresh: boolean): Promise<string> => {
    const started = Date.now();
    let result;
    try {
      result = await client.acquireTokenByClientCredential({ scopes, skipCache: forceRefresh });
    } catch (error) {
      const failure = tokenError(error);
      // MSAL's own refusals (its throttle cache, a bad configuration) sent nothing.
      if (failure.status !== undefined || failure.kind === 'network') observe(started, failure.status);
      throw failure;
    }
    if (result && !result.fromCache) observe(started, 200);
    if (!result?.accessToken) {
      throw new D365Error({
        service: 'entra',
        kind: 'invalid-response',
        operation: 'token request',
        serviceMessage: 'the token endpoint returned no access token',
      });
    }
    const renewAt = (result.expiresOn?.getTime() ?? 0) - REFRESH_BEFORE_EXPIRY_MS;
    cached = { token: result.accessToken, renewAt };
    return result.accessToken;
  };
  return {
    getToken({ forceRefresh = false } = {}) {
      if (forceRefresh) {
        cached = undefined;
        return acquire(true);
      }
      if (cached && Date.now() < cached.renewAt) return Promise.resolve(cached.token);
      pending ??= acquire(false).finally(() => {
        pending = undefined;
      });
      return pending;
    },
  };
}

/** MSAL's own errors carry the service's `error` code and description, never the secret. */
function tokenError(error: unknown): D365Error {
  const authError = error instanceof AuthError ? error : undefined;
  const status = error instanceof ServerError ? error.status : undefined;
  const description = authError ? authError.errorMessage || authError.message : String(error);
  return new D365Error({
    service: 'entra',
    kind: tokenErrorKind(error, status),
    operation: 'token request',
    // Entra's description runs on with "Trace ID: ... Correlation ID: ..."; the first line is the message.
    serviceMessage: description.split(/\r?\n/)[0] || 'the token request failed',
    status,
    code: authError?.errorCode || undefined,
    requestId: authError?.correlationId || undefined,
  });
}

function tokenErrorKind(error: unknown, status: number | undefined): D365ErrorKind {
  if (status === 429) return 'throttled';
  if (status !== undefined && status >= 500) return 'unavailable';
  // MSAL's throttle cache answers locally, without a status, after a 429 or 5xx (docs/dynamics-365-wire.md#tokens).
  if (error instanceof ServerError && status === undefined) return 'throttled';
  if (error instanceof ServerError || error instanceof ClientConfigurationError) return 'authentication';
  return 'network';
}
