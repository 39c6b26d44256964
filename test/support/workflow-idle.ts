import type { WorkflowHandle } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits until the workflow has handled every signal sent to it so far and everything that followed: a
 * workflow task completed after its last signal, no workflow task pending and no activity running or
 * waiting to retry (timers may run: that is waiting). "Nothing changed" asserted after this is an
 * observation; after a sleep it may only mean the signal had not been handled yet.
 */
export async function untilIdle(handle: WorkflowHandle, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = (await handle.fetchHistory()).events ?? [];
    const lastSignal = events.findLastIndex((event) => event.workflowExecutionSignaledEventAttributes);
    const lastTask = events.findLastIndex((event) => event.workflowTaskCompletedEventAttributes);
    const { raw } = await handle.describe();
    const busy = [
      ...(lastTask < lastSignal ? ['a signal not handled yet'] : []),
      ...(raw.pendingWorkflowTask ? ['a workflow task'] : []),
      ...(raw.pendingActivities ?? []).map((activity) => `activity ${activity.activityType?.name}`),
    ];
    if (busy.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`${handle.workflowId} still busy after ${timeoutMs / 1000} s: ${busy.join(', ')}`);
    }
    await delay(50);
  }
}
