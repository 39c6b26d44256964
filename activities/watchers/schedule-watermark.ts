import type { Client } from '@temporalio/client';
import type { WatcherInput } from './contract';

/**
 * Stores a watcher's watermark where its next run reads it: the arguments of its schedule's action.
 * Operators see it in `fsfo schedules list` and Temporal Web; a paused schedule keeps it, so on
 * resume the next run carries on from there. Everything else about the schedule is left as it is.
 */
export async function saveScheduleWatermark<Watermark>(
  client: Client,
  scheduleId: string,
  watermark: Watermark,
): Promise<void> {
  const input: WatcherInput<Watermark> = { scheduleId, watermark };
  await client.schedule.getHandle(scheduleId).update((previous) => ({
    ...previous,
    action: { ...previous.action, args: [input] },
  }));
}
