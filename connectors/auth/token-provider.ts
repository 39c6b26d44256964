/** Supplies bearer tokens for one resource. Implementations cache; `forceRefresh` bypasses the cache. */
export interface TokenProvider {
  getToken(options?: { forceRefresh?: boolean }): Promise<string>;
}
