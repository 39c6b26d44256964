import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { WatcherInput } from './contract';

/**
 * Stores a watcher's watermark where its next run reads it: the arguments of its schedule's action.
 * Operators see it in `fsfo schedules list` and Temporal Web; a paused schedule keeps it, so on
 * resume the next run carries on from there.
 */
export function saveScheduleWatermark<Watermark>(
  client: Client,
  scheduleId: string,
  watermark: Watermark,
): Promise<void> {
  const input: WatcherInput<Watermark> = { scheduleId, watermark };
  return saveScheduleInput(client, scheduleId, input);
}

/** Replaces the argument of a schedule's action (its next run's input); everything else is left as it is. */
export function saveScheduleInput(client: Client, scheduleId: string, input: unknown): Promise<void> {
  return updateScheduleInput(client, scheduleId, () => input);
}

/** Sets the argument of a schedule's action to what `update` makes of the one it has now. */
export async function updateScheduleInput(
  client: Client,
  scheduleId: string,
  update: (previous: unknown) => unknown,
): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId).update((previous) => ({
      ...previous,
      action: { ...previous.action, args: [update(previous.action.args?.[0])] },
    }));
  } catch (err) {
    // A run started by hand, or whose schedule was deleted, has nowhere to keep its position.
    if (err instanceof ScheduleNotFoundError) {
      throw ApplicationFailure.nonRetryable(
        `no schedule ${scheduleId} to keep the watermark in`,
        'NoSchedule',
      );
    }
    throw err;
  }
}
