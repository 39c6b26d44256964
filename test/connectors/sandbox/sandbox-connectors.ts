import { Secret } from '../../../config/secret';
import { createConfidentialClient, msalTokenProvider } from '../../../connectors/auth/msal-token-provider';
import { DataverseClient } from '../../../connectors/dataverse/dataverse-client';
import { FinanceClient } from '../../../connectors/finance/finance-client';
import { startSandboxes, type RunningSandboxes, type SandboxOptions } from '../../../sandboxes';

export interface SandboxConnectors {
  sandboxes: RunningSandboxes;
  dataverse: DataverseClient;
  /** Built on first use: the F&O sandbox may not be running yet. */
  finance(company?: string): FinanceClient;
  /** A control API call (`/_sandbox/<path>`) on one of the sandboxed services. */
  control(
    service: 'token' | 'dataverse' | 'finance',
    path: string,
    method?: string,
    body?: unknown,
  ): Promise<unknown>;
}

/** The sandboxes, and the product's clients configured against them exactly as against a tenant. */
export async function startSandboxConnectors(options: SandboxOptions = {}): Promise<SandboxConnectors> {
  const sandboxes = await startSandboxes(options);
  const { app, urls } = sandboxes;
  const entra = createConfidentialClient({
    tenantId: app.tenantId,
    clientId: app.clientId,
    clientSecret: new Secret(app.clientSecret),
    tokenUrl: `${urls.token}/${app.tenantId}/oauth2/v2.0/token`,
  });
  return {
    sandboxes,
    dataverse: new DataverseClient({
      url: urls.dataverse,
      tokenProvider: msalTokenProvider(entra, urls.dataverse),
      pageSize: 2,
    }),
    finance: (company = 'usmf') =>
      new FinanceClient({
        url: urls.finance,
        company,
        tokenProvider: msalTokenProvider(entra, urls.finance),
      }),
    async control(service, path, method = 'POST', body) {
      const response = await fetch(`${urls[service]}/_sandbox/${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok)
        throw new Error(`control ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
      const text = await response.text();
      return text ? (JSON.parse(text) as unknown) : undefined;
    },
  };
}
