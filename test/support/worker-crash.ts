import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { setTimeout as delay } from 'node:timers/promises';
import type { TestWorker } from './workers';

/** An activity attempt that was running on a worker when it was killed. */
export interface InterruptedAttempt {
  activityId: string;
  activityType: string;
  attempt: number;
}

const { PENDING_ACTIVITY_STATE_STARTED } = temporal.api.enums.v1.PendingActivityState;

/** The workflow's activity attempts running on a worker now (on `pid`'s worker only, when given). */
async function runningAttempts(handle: WorkflowHandle, pid?: number): Promise<InterruptedAttempt[]> {
  const pending = (await handle.describe()).raw.pendingActivities ?? [];
  return pending
    .filter((activity) => activity.state === PENDING_ACTIVITY_STATE_STARTED)
    .filter((activity) => pid === undefined || activity.lastWorkerIdentity?.startsWith(`${pid}@`))
    .map((activity) => ({
      activityId: activity.activityId ?? '',
      activityType: activity.activityType?.name ?? '?',
      attempt: activity.attempt ?? 1,
    }));
}

/**
 * Kills the worker (SIGKILL) while it runs one of the workflow's activities and returns the attempts the
 * kill cut short: still started, on a worker that is gone, so the server must time them out and retry
 * them. Should the activity finish in the instant before the kill, a new worker is started and killed
 * the same way. No worker runs when it returns.
 */
export async function killWorkerMidActivity(
  handle: WorkflowHandle,
  worker: TestWorker,
  startWorker: () => TestWorker,
  timeoutMs = 180_000,
): Promise<InterruptedAttempt[]> {
  const deadline = Date.now() + timeoutMs;
  for (let current = worker; ; current = startWorker()) {
    while ((await runningAttempts(handle, current.pid)).length === 0) {
      if (Date.now() > deadline) throw new Error(`no activity of ${handle.workflowId} ran to be interrupted`);
      await delay(20);
    }
    await current.stop();
    const interrupted = await runningAttempts(handle, current.pid);
    if (interrupted.length > 0) return interrupted;
  }
}

/** The attempt on which an activity of the workflow completed; undefined while it has not. */
export async function completedAttempt(
  handle: WorkflowHandle,
  activityId: string,
): Promise<number | undefined> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events.find(
    (event) => event.activityTaskScheduledEventAttributes?.activityId === activityId,
  );
  if (!scheduled) return undefined;
  const completed = events.find(
    (event) =>
      String(event.activityTaskCompletedEventAttributes?.scheduledEventId) === String(scheduled.eventId),
  );
  const started = events.find(
    (event) =>
      String(event.eventId) === String(completed?.activityTaskCompletedEventAttributes?.startedEventId),
  );
  return started?.activityTaskStartedEventAttributes?.attempt ?? undefined;
}
