import type { Client } from '@temporalio/client';
import type { MasterDataSyncResult } from '../workflows/master-data/sync';
import { runScheduleNow } from './schedules';
import { syncScheduleId } from './sync-schedules';

/** The syncs `fsfo inventory sync` runs, in order: warehouses first, their on-hand after. */
export const INVENTORY_SYNCS = ['warehouses', 'on-hand'] as const;

/**
 * Runs a master-data sync's schedule now (its watermark and retry list as the schedule keeps them) and
 * waits for that run's result through any continue-as-new; `tick` is called every second while it runs.
 */
export function runSyncNow(
  client: Client,
  sync: string,
  tick?: (elapsedSeconds: number) => void,
): Promise<MasterDataSyncResult> {
  return runScheduleNow<MasterDataSyncResult>(client, syncScheduleId(sync), tick);
}
