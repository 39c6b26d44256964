import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleDescription,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { invoiceWatermarkAt, type WatcherInput, workOrderWatermarkAt } from '../activities/watchers/contract';
import type { Config } from '../config/config';
import { invoiceWatcher, workOrderWatcher } from '../workflows';

export const WATCHER_SCHEDULE_IDS = ['work-order-watcher', 'invoice-watcher'] as const;
export type WatcherScheduleId = (typeof WATCHER_SCHEDULE_IDS)[number];

const watchers = {
  'work-order-watcher': {
    workflowType: workOrderWatcher.name,
    watermarkAt: workOrderWatermarkAt,
    summary: 'Starts or signals the workflows of work orders changed in Field Service',
  },
  'invoice-watcher': {
    workflowType: invoiceWatcher.name,
    watermarkAt: invoiceWatermarkAt,
    summary: 'Signals invoicePosted for sales invoices posted in F&O',
  },
} as const;

export interface ApplyOptions {
  every: Duration;
  /** Where a schedule created now starts reading; an existing schedule keeps its watermark. */
  since: Date;
}

export type ApplyOutcome = 'created' | 'updated';

/**
 * Creates the watcher schedules, or brings existing ones up to date (interval, task queue, overlap
 * SKIP) while keeping their watermarks and paused state. Running it twice changes nothing.
 */
export async function applyWatcherSchedules(
  client: Client,
  config: Config,
  options: ApplyOptions,
): Promise<Record<WatcherScheduleId, ApplyOutcome>> {
  const outcomes = {} as Record<WatcherScheduleId, ApplyOutcome>;
  for (const scheduleId of WATCHER_SCHEDULE_IDS) {
    const { workflowType, watermarkAt, summary } = watchers[scheduleId];
    const input: WatcherInput<unknown> = { scheduleId, watermark: watermarkAt(options.since) };
    const spec = { intervals: [{ every: options.every }] };
    const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' };
    const action = {
      type: 'startWorkflow' as const,
      workflowType,
      workflowId: scheduleId,
      taskQueue: config.temporal.taskQueue,
      staticSummary: summary,
    };
    try {
      await client.schedule.create({ scheduleId, spec, policies, action: { ...action, args: [input] } });
      outcomes[scheduleId] = 'created';
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(scheduleId).update((previous) => ({
        ...previous,
        spec,
        policies,
        action: { ...action, args: previous.action.args ?? [input] },
      }));
      outcomes[scheduleId] = 'updated';
    }
  }
  return outcomes;
}

export interface WatcherScheduleStatus {
  scheduleId: WatcherScheduleId;
  /** False when `fsfo schedules apply` has not created it yet. */
  exists: boolean;
  paused?: boolean;
  everyMs?: number;
  nextRun?: Date;
  lastRun?: Date;
  watermark?: unknown;
}

/** The watcher schedules as they are now, each with the watermark its next run starts from. */
export async function describeWatcherSchedules(client: Client): Promise<WatcherScheduleStatus[]> {
  const statuses: WatcherScheduleStatus[] = [];
  for (const scheduleId of WATCHER_SCHEDULE_IDS) {
    let description: ScheduleDescription;
    try {
      description = await client.schedule.getHandle(scheduleId).describe();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      statuses.push({ scheduleId, exists: false });
      continue;
    }
    const [input] = (description.action.args ?? []) as WatcherInput<unknown>[];
    statuses.push({
      scheduleId,
      exists: true,
      paused: description.state.paused,
      everyMs: description.spec.intervals?.[0]?.every,
      nextRun: description.info.nextActionTimes[0],
      lastRun: description.info.recentActions.at(-1)?.takenAt,
      watermark: input?.watermark,
    });
  }
  return statuses;
}
