import { ApplicationFailure, continueAsNew, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import { z } from 'zod';
import {
  type MasterDataActivities,
  noCounts,
  type SyncCounts,
  type SyncInput,
  syncInputSchema,
  type SyncWatermark,
} from '../../activities/master-data/contract';
import { countSyncRecords } from '../metrics';

const activities = proxyActivities<MasterDataActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Records per activity: one page read, one `$batch` written. */
const PAGE_SIZE = 200;
/** Bounds one run's history; a longer sync continues as new with its counts carried. */
const PAGES_PER_RUN = 25;

export interface MasterDataSyncResult extends SyncCounts {
  sync: string;
  watermark: SyncWatermark;
}

function add(totals: SyncCounts, counts: SyncCounts): void {
  totals.created += counts.created;
  totals.updated += counts.updated;
  totals.unchanged += counts.unchanged;
  totals.failed.push(...counts.failed);
}

/**
 * Run by a master-data schedule (`sync-<name>`): first the records that failed last time, then the
 * source's changes since the watermark, a page at a time, each page's position saved in the
 * schedule before the next. A failing record does not fail the run: it is listed with its reason in
 * the result and retried next run. Returns the counts (created, updated, unchanged, failed).
 */
export async function masterDataSync(raw: SyncInput): Promise<MasterDataSyncResult> {
  const parsed = syncInputSchema.safeParse(raw);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
  const { scheduleId, sync, retry, carried } = parsed.data;
  const totals: SyncCounts = carried ?? noCounts();
  const record = (counts: SyncCounts) => {
    add(totals, counts);
    countSyncRecords(sync, counts);
  };
  if (retry.length > 0) record(await activities.syncRecords({ sync, keys: retry }));

  let watermark = parsed.data.watermark;
  for (let page = 0; page < PAGES_PER_RUN; page++) {
    const changes = await activities.syncChanges({ sync, after: watermark, limit: PAGE_SIZE });
    record(changes);
    watermark = changes.watermark;
    const failedKeys = [...new Set(totals.failed.map((failure) => failure.key))];
    await activities.saveSyncPosition({ scheduleId, sync, watermark, retry: failedKeys, retried: retry });
    setCurrentDetails(
      `**${sync}**: ${totals.created} created, ${totals.updated} updated, ${totals.unchanged} unchanged, ` +
        `${totals.failed.length} failed`,
    );
    if (!changes.more) return { sync, watermark, ...totals };
  }
  // The failed records are already in the schedule for the next run; this run's successor only counts them.
  return continueAsNew<typeof masterDataSync>({ scheduleId, sync, watermark, retry: [], carried: totals });
}
