import { z } from 'zod';
import { invoiceCountsSchema } from '../watchers/contract';

/**
 * Where a sync stands in its source. Sources with a change time (Dataverse `modifiedon`, F&O invoice
 * dates) are read after (`changedOn`, `key`), so rows changed in the same instant are neither skipped
 * nor read twice. F&O entities have no change time on OData: they are read in full passes ordered by
 * key (`changedOn` null), `key` marking how far the current pass got ('' before its first record).
 * F&O invoices can be posted with a date behind the watermark: `counted` holds how many were handled
 * per date of the lookback window, to notice them.
 */
export const syncWatermarkSchema = z.object({
  changedOn: z.iso.datetime({ offset: true }).nullable(),
  key: z.string(),
  counted: invoiceCountsSchema.optional(),
});
export type SyncWatermark = z.infer<typeof syncWatermarkSchema>;

/** A watermark from which every row changed at or after `since` is read; sources read by key start a pass. */
export function syncWatermarkAt(since: Date): SyncWatermark {
  return { changedOn: since.toISOString(), key: '' };
}

export const syncFailureSchema = z.object({ key: z.string(), reason: z.string() });
export type SyncFailure = z.infer<typeof syncFailureSchema>;

/** What a sync did to the destination; a failed record is listed with its reason and retried next run. */
export const syncCountsSchema = z.object({
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  failed: z.array(syncFailureSchema),
});
export type SyncCounts = z.infer<typeof syncCountsSchema>;

export const noCounts = (): SyncCounts => ({ created: 0, updated: 0, unchanged: 0, failed: [] });

/**
 * A sync's input, kept in its schedule's action: each page moves the watermark there, so a paused or
 * failed run's successor carries on where it stopped. `retry` holds the keys that failed last time.
 */
export const syncInputSchema = z.object({
  scheduleId: z.string().min(1),
  sync: z.string().min(1),
  watermark: syncWatermarkSchema,
  retry: z.array(z.string()).default([]),
  /** Counts of the runs this one continues (continue-as-new), so the last one reports the whole. */
  carried: syncCountsSchema.optional(),
});
export type SyncInput = z.input<typeof syncInputSchema>;
export type ParsedSyncInput = z.infer<typeof syncInputSchema>;

/**
 * A run's position to save: the next run's input, and the keys this run was given to retry. Keys the
 * schedule lists beyond those were added while the run went on (e.g. by `fsfo sales-invoice record`) and
 * stay listed.
 */
export const syncPositionSchema = syncInputSchema.extend({ retried: z.array(z.string()).default([]) });
export type SyncPosition = z.input<typeof syncPositionSchema>;

export interface SyncPage extends SyncCounts {
  /** The watermark once every record of this page is handled. */
  watermark: SyncWatermark;
  /** The page was full: there may be more after it. */
  more: boolean;
}

/** What the master-data sync workflow asks of Dynamics 365 and Temporal; each call is idempotent. */
export interface MasterDataActivities {
  /** Reads up to `limit` records changed after the watermark and writes what differs. */
  syncChanges(input: { sync: string; after: SyncWatermark; limit: number }): Promise<SyncPage>;
  /** Reads the records with these keys again and writes what differs (records that failed before). */
  syncRecords(input: { sync: string; keys: string[] }): Promise<SyncCounts>;
  /** Stores watermark and retry list in the schedule's action arguments, where the next run reads them. */
  saveSyncPosition(input: SyncPosition): Promise<void>;
}
