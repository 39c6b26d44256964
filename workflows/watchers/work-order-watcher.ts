import { log, proxyActivities } from '@temporalio/workflow';
import type { WatcherActivities, WatcherInput, WorkOrderWatermark } from '../../activities/watchers/contract';

const activities = proxyActivities<WatcherActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Bounds one run's history; the next scheduled run carries on from the saved watermark. */
const PAGE_SIZE = 100;
const MAX_PAGES_PER_RUN = 20;

export interface WorkOrderWatcherResult {
  watermark: WorkOrderWatermark;
  startedOrSignalled: number;
  alreadyCompleted: number;
  /** Workflows told that their work order was cancelled in Field Service. */
  canceledSignalled: number;
  failed: { workOrderNumber: string; reason: string }[];
}

/**
 * Run by the `work-order-watcher` schedule: starts (or signals) the workflow of every work order that
 * became eligible or changed since the watermark, signals (never starts) the workflow of every work
 * order cancelled since, then advances the watermark in the schedule. Its
 * cost depends on the number of changes, never on the number of waiting workflows.
 */
export async function workOrderWatcher(
  input: WatcherInput<WorkOrderWatermark>,
): Promise<WorkOrderWatcherResult> {
  const result: WorkOrderWatcherResult = {
    watermark: input.watermark,
    startedOrSignalled: 0,
    alreadyCompleted: 0,
    canceledSignalled: 0,
    failed: [],
  };
  for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
    const changes = await activities.findChangedWorkOrders({ after: result.watermark, limit: PAGE_SIZE });
    const canceled = changes.canceled ?? [];
    if (changes.items.length === 0 && canceled.length === 0) break;
    if (changes.items.length > 0) {
      const outcomes = await activities.startWorkOrders(changes.items, changes.notices);
      result.startedOrSignalled += outcomes.startedOrSignalled;
      result.alreadyCompleted += outcomes.alreadyCompleted;
      result.failed.push(...outcomes.failed);
    }
    if (canceled.length > 0) {
      result.canceledSignalled += (
        await activities.signalCanceledWorkOrders(canceled, changes.notices)
      ).signalled;
    }
    // Only once every work order of the page has its workflow.
    await activities.saveWatermark({ scheduleId: input.scheduleId, watermark: changes.watermark });
    result.watermark = changes.watermark;
    if (!changes.more) break;
  }
  if (result.failed.length > 0) log.warn('Some work orders could not be started', { failed: result.failed });
  return result;
}
