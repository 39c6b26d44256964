import { jsonResponse } from '../http/json';
import { header, type SandboxRequest, type SandboxResponse } from '../http/types';
import type { HostedService } from '../platform/service-host';
import type { AppRegistration } from './app-registration';
import type { TokenAuthority } from './token-authority';
import { entraError } from './token-errors';

export interface TokenServiceOptions {
  app: AppRegistration;
  authority: TokenAuthority;
  lifetimeSeconds: number;
  /** The token service's own base URL, for the OpenID configuration document. */
  baseUrl(): string;
  /** The resources (environment URLs) tokens can be requested for. */
  resources(): string[];
}

const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const configurationPath = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;

/** The Entra ID v2 token endpoint, client-credentials grant only. */
export function tokenService(options: TokenServiceOptions): HostedService {
  return {
    resourceOf: (request) => (tokenPath.test(request.url.pathname) ? 'token' : request.url.pathname),
    controlRoutes: [],
    throttled: (retryAfter) => ({
      ...entraError(
        429,
        'temporarily_unavailable',
        50196,
        'The server is temporarily unavailable. Retry later.',
      ),
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': String(retryAfter) },
    }),
    serverError: () =>
      entraError(503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.'),
    handle: async (request) => {
      const token = tokenPath.exec(request.url.pathname);
      if (token) return issueToken(request, decodeURIComponent(token[1]), options);
      const configuration = configurationPath.exec(request.url.pathname);
      if (configuration && request.method === 'GET') {
        return openIdConfiguration(decodeURIComponent(configuration[1]), options);
      }
      return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not Found' };
    },
  };
}

function issueToken(request: SandboxRequest, tenant: string, options: TokenServiceOptions): SandboxResponse {
  const form = new URLSearchParams(request.body.toString('utf8'));
  const correlationId =
    form.get('client-request-id') ?? request.url.searchParams.get('client-request-id') ?? undefined;
  const fail = (status: number, error: string, code: number, message: string) =>
    entraError(status, error, code, message, correlationId);
  const missing = (parameter: string) =>
    fail(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${parameter}'.`,
    );
  const { app } = options;

  if (request.method !== 'POST') {
    return fail(
      400,
      'invalid_request',
      900561,
      `The endpoint only accepts POST requests. Received a ${request.method} request.`,
    );
  }
  if (tenant !== app.tenantId) {
    return fail(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }
  const basic = basicCredentials(header(request, 'authorization'));
  const grantType = form.get('grant_type');
  const clientId = form.get('client_id') ?? basic?.clientId;
  const clientSecret = form.get('client_secret') ?? basic?.clientSecret;
  const scope = form.get('scope');
  if (!grantType) return missing('grant_type');
  if (grantType !== 'client_credentials') {
    return fail(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    );
  }
  if (!clientId) return missing('client_id');
  if (clientId !== app.clientId) {
    return fail(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  if (!scope) return missing('scope');
  if (!clientSecret) {
    return fail(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  if (clientSecret !== app.clientSecret) {
    return fail(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    );
  }
  const scopes = scope.trim().split(/\s+/);
  if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
    return fail(
      400,
      'invalid_scope',
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resource = scopes[0].slice(0, -'/.default'.length).replace(/\/$/, '');
  if (resource === '' || !options.resources().includes(resource)) {
    return fail(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  }
  const accessToken = options.authority.issue({
    audience: resource,
    tenantId: app.tenantId,
    clientId: app.clientId,
    lifetimeSeconds: options.lifetimeSeconds,
  });
  return jsonResponse(
    200,
    {
      token_type: 'Bearer',
      expires_in: options.lifetimeSeconds,
      ext_expires_in: options.lifetimeSeconds,
      access_token: accessToken,
    },
    {
      'Cache-Control': 'no-store, no-cache',
      Pragma: 'no-cache',
      'Content-Type': 'application/json; charset=utf-8',
    },
  );
}

function basicCredentials(
  authorization: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const [clientId, ...secret] = Buffer.from(match[1], 'base64').toString('utf8').split(':');
  return { clientId: decodeURIComponent(clientId), clientSecret: decodeURIComponent(secret.join(':')) };
}

function openIdConfiguration(tenant: string, options: TokenServiceOptions): SandboxResponse {
  const base = `${options.baseUrl()}/${tenant}`;
  return jsonResponse(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    grant_types_supported: ['client_credentials'],
  });
}
