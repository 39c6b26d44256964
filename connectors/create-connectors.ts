import type { ConfidentialClientApplication } from '@azure/msal-node';
import type { Config } from '../config/config';
import { createConfidentialClient, msalTokenProvider } from './auth/msal-token-provider';
import { DataverseClient } from './dataverse/dataverse-client';
import { FinanceClient } from './finance/finance-client';
import type { RequestObserver } from './http/request-observer';
import type { ConnectorLogger } from './logger';

export interface Connectors {
  dataverse: DataverseClient;
  finance: FinanceClient;
}

export interface ConnectorOptions {
  logger?: ConnectorLogger;
  /** Told of every HTTP request to Dynamics 365 and its token endpoint (the worker's metrics). */
  observer?: RequestObserver;
  /** The Entra ID app, to share its token cache with another user of it; one of its own by default. */
  entra?: ConfidentialClientApplication;
}

/** Both clients from the product's configuration, sharing one Entra ID app and its token cache. */
export function createConnectors(
  config: Config,
  { logger, observer, entra = createConfidentialClient(config.azure) }: ConnectorOptions = {},
): Connectors {
  return {
    dataverse: new DataverseClient({
      url: config.fieldService.url,
      tokenProvider: msalTokenProvider(entra, config.fieldService.url, observer),
      logger,
      observer,
    }),
    finance: new FinanceClient({
      url: config.finance.url,
      company: config.finance.company,
      tokenProvider: msalTokenProvider(entra, config.finance.url, observer),
      logger,
      observer,
    }),
  };
}
