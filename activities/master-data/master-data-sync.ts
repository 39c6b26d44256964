import type { SyncCounts, SyncPage, SyncWatermark } from './contract';

/** One master-data sync (products, customers, sales invoices, …) as the sync workflow drives it. */
export interface MasterDataSync {
  /** What it does, for the schedule's summary in Temporal Web. */
  summary: string;
  /** Reads up to `limit` source records after the watermark and writes what differs. */
  changes(after: SyncWatermark, limit: number): Promise<SyncPage>;
  /** Reads the source records with these keys again and writes what differs. */
  records(keys: readonly string[]): Promise<SyncCounts>;
}
