import type { Config } from '../config/config';
import { createConfidentialClient, msalTokenProvider } from './auth/msal-token-provider';
import { DataverseClient } from './dataverse/dataverse-client';
import { FinanceClient } from './finance/finance-client';
import type { ConnectorLogger } from './logger';

export interface Connectors {
  dataverse: DataverseClient;
  finance: FinanceClient;
}

/** Both clients from the product's configuration, sharing one Entra ID app and its token cache. */
export function createConnectors(config: Config, logger?: ConnectorLogger): Connectors {
  const entra = createConfidentialClient(config.azure);
  return {
    dataverse: new DataverseClient({
      url: config.fieldService.url,
      tokenProvider: msalTokenProvider(entra, config.fieldService.url),
      logger,
    }),
    finance: new FinanceClient({
      url: config.finance.url,
      company: config.finance.company,
      tokenProvider: msalTokenProvider(entra, config.finance.url),
      logger,
    }),
  };
}
