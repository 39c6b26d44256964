import type { WorkflowHandle } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import type { workOrderInvoicing } from '../../workflows';
import { statusQuery } from '../../workflows/work-order/messages';
import type { WorkOrderState } from '../../workflows/work-order/state';
import { activityTimeline } from './activity-timeline';

export type WorkOrderHandle = WorkflowHandle<typeof workOrderInvoicing>;

/**
 * Polls the `status` query until the work order workflow is in `stage` and returns its state; on timeout
 * it fails saying where the workflow is, what it waits for and what its activities did.
 */
export async function waitForStage(
  handle: WorkOrderHandle,
  stage: string,
  timeoutMs = 45_000,
): Promise<WorkOrderState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A query fails while no worker runs (a test that kills it): keep polling until the deadline.
    const state = await handle.query(statusQuery).catch(() => undefined);
    if (state?.stage === stage) return state;
    if (Date.now() > deadline) {
      const timeline = await activityTimeline(handle);
      throw new Error(
        `still ${state?.stage} (${state?.waitingFor}), expected ${stage}; activities:\n${timeline}`,
      );
    }
    await delay(150);
  }
}
