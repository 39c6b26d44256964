import type { Client } from '@temporalio/client';
import type { MasterDataSyncResult } from '../workflows/master-data/sync';
import { type RunWait, runScheduleNow } from './schedules';
import { syncScheduleId } from './sync-schedules';

/** The syncs `fsfo inventory sync` runs, in order: warehouses first, their on-hand after. */
export const INVENTORY_SYNCS = ['warehouses', 'on-hand'] as const;

/**
 * Runs a master-data sync's schedule now (its watermark and retry list as the schedule keeps them) and
 * waits for that run's result through any continue-as-new (`RUN_TIMEOUT_MS` unless `wait` says otherwise).
 */
export function runSyncNow(client: Client, sync: string, wait?: RunWait): Promise<MasterDataSyncResult> {
  return runScheduleNow<MasterDataSyncResult>(client, syncScheduleId(sync), wait);
}
