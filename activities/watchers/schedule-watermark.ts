import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
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
  try {
    await client.schedule.getHandle(scheduleId).update((previous) => ({
      ...previous,
      action: { ...previous.action, args: [input] },
    }));
  } catch (err) {
    // A watcher started by hand, or whose schedule was deleted, has nowhere to keep its watermark.
    if (err instanceof ScheduleNotFoundError) {
      throw ApplicationFailure.nonRetryable(
        `no schedule ${scheduleId} to keep the watermark in`,
        'NoSchedule',
      );
    }
    throw err;
  }
}
