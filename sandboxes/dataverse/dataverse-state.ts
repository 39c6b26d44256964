import type { Row } from './schema';

/** Everything the Dataverse sandbox stores: rows by entity set and id, and the row version counter. */
export interface DataverseState {
  versionCounter: number;
  tables: Record<string, Record<string, Row>>;
}

export function emptyDataverseState(): DataverseState {
  return { versionCounter: 1_000_000, tables: {} };
}
