import type { Secret } from '../../config/secret';

/** A confidential client registered in Microsoft Entra ID (client-credentials flow). */
export interface EntraCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: Secret;
  /**
   * Token endpoint to use instead of the one Microsoft publishes for the tenant; for local
   * stand-ins only. Production leaves it unset.
   */
  tokenUrl?: string;
}
