import type { Client } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import type { MasterDataSyncResult } from '../workflows/master-data/sync';
import { syncScheduleId } from './sync-schedules';

/** The syncs `fsfo inventory sync` runs, in order: warehouses first, their on-hand after. */
export const INVENTORY_SYNCS = ['warehouses', 'on-hand'] as const;

/**
 * Runs a master-data sync's schedule now (its watermark and retry list as the schedule keeps them) and
 * waits for that run's result through any continue-as-new; `tick` is called every second while it runs.
 */
export async function runSyncNow(
  client: Client,
  sync: string,
  tick: (elapsedSeconds: number) => void = () => undefined,
): Promise<MasterDataSyncResult> {
  const schedule = client.schedule.getHandle(syncScheduleId(sync));
  const before = (await schedule.describe()).info.numActionsTaken;
  await schedule.trigger();
  const started = Date.now();
  for (;;) {
    const { info } = await schedule.describe();
    if (info.numActionsTaken > before) {
      const { workflowId, firstExecutionRunId } = info.recentActions.at(-1)!.action.workflow;
      const result = client.workflow
        .getHandle(workflowId, undefined, { firstExecutionRunId })
        .result() as Promise<MasterDataSyncResult>;
      for (;;) {
        const finished = await Promise.race([result.then(() => true), delay(1000).then(() => false)]);
        if (finished) return result;
        tick(Math.round((Date.now() - started) / 1000));
      }
    }
    await delay(200);
  }
}
