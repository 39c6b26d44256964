/** An F&O row: field values by name plus the hidden `RecId` and `RecVersion`. */
export type FinanceRow = Record<string, unknown> & { RecId: number; RecVersion: number };

/** Everything the F&O sandbox stores: rows by storage table, counters and number sequences. */
export interface FinanceState {
  recIdCounter: number;
  tables: Record<string, FinanceRow[]>;
  numberSequences: Record<string, number>;
  businessEventControlNumber: number;
}

export function emptyFinanceState(): FinanceState {
  return { recIdCounter: 5_637_144_576, tables: {}, numberSequences: {}, businessEventControlNumber: 5_000 };
}
