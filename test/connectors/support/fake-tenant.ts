import type { ConfidentialClientApplication } from '@azure/msal-node';
import { randomUUID } from 'node:crypto';
import { Secret } from '../../../config/secret';
import { createConfidentialClient, msalTokenProvider } from '../../../connectors/auth/msal-token-provider';
import type { EntraCredentials } from '../../../connectors/auth/entra-credentials';
import type { TokenProvider } from '../../../connectors/auth/token-provider';
import {
  startFakeHttpServer,
  type FakeHandler,
  type FakeHttpServer,
  type RecordedRequest,
} from './fake-http-server';
import { tokenInvalidClient, tokenSuccess } from './microsoft-payloads';

const TENANT_ID = '72f988bf-0000-4000-8000-0000000000a1';
const CLIENT_ID = '0c11e700-0000-4000-8000-0000000000b2';
export const FAKE_CLIENT_SECRET = 'fake~Secret.Q8x_7wLkT2pN0vRz';

export interface FakeTenant {
  url: string;
  credentials: EntraCredentials;
  /** Access tokens the token endpoint handed out, oldest first. */
  issuedTokens: string[];
  tokenRequests(): RecordedRequest[];
  apiRequests(): RecordedRequest[];
  /** A token provider for a resource on this fake, through MSAL and the fake token endpoint. */
  tokenProvider(credentials?: EntraCredentials, client?: ConfidentialClientApplication): TokenProvider;
  /** A confidential client for the tenant's credentials (to pass to `tokenProvider`). */
  confidentialClient(): ConfidentialClientApplication;
  close(): Promise<void>;
}

/**
 * One loopback server playing both Entra ID's token endpoint (bodies as Microsoft documents them)
 * and a Dynamics 365 service whose answers come from the test's handler.
 */
export async function startFakeTenant(
  api: FakeHandler,
  options: { expiresInSeconds?: number } = {},
): Promise<FakeTenant> {
  const issuedTokens: string[] = [];
  const tokenPath = `/${TENANT_ID}/oauth2/v2.0/token`;
  const isTokenRequest = (request: RecordedRequest) => request.url.startsWith(tokenPath);
  const server: FakeHttpServer = await startFakeHttpServer((request) => {
    if (!isTokenRequest(request)) return api(request);
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== FAKE_CLIENT_SECRET) {
      return { status: 401, body: tokenInvalidClient(form.get('client_id') ?? '') };
    }
    const token = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from(randomUUID()).toString('base64url')}.sig`;
    issuedTokens.push(token);
    return { status: 200, body: tokenSuccess(token, options.expiresInSeconds) };
  });
  const credentials: EntraCredentials = {
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    clientSecret: new Secret(FAKE_CLIENT_SECRET),
    tokenUrl: `${server.url}${tokenPath}`,
  };
  return {
    url: server.url,
    credentials,
    issuedTokens,
    tokenRequests: () => server.requests.filter(isTokenRequest),
    apiRequests: () => server.requests.filter((request) => !isTokenRequest(request)),
    tokenProvider: (custom = credentials, client = createConfidentialClient(custom)) =>
      msalTokenProvider(client, server.url),
    confidentialClient: () => createConfidentialClient(credentials),
    close: () => server.close(),
  };
}
