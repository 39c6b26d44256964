import type { WorkflowHandle } from '@temporalio/client';

/** The workflow's activities and their failures, for a timeout's message: where did the time go? */
export async function activityTimeline(handle: WorkflowHandle): Promise<string> {
  const events = (await handle.fetchHistory()).events ?? [];
  const start = Number(events[0]?.eventTime?.seconds ?? 0);
  const names = new Map<string, string>();
  return events
    .map((event) => {
      const at = `+${Number(event.eventTime?.seconds ?? 0) - start}s`;
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) names.set(String(event.eventId), scheduled.activityType?.name ?? '?');
      const started = event.activityTaskStartedEventAttributes;
      const failed = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
      if (started) return `${at} ${names.get(String(started.scheduledEventId))} attempt ${started.attempt}`;
      if (failed) return `${at} ${names.get(String(failed.scheduledEventId))} ${failed.failure?.message}`;
      if (event.workflowTaskTimedOutEventAttributes) return `${at} workflow task timed out`;
      return undefined;
    })
    .filter((line) => line !== undefined)
    .concat(
      ((await handle.describe()).raw.pendingActivities ?? []).map(
        (pending) =>
          `pending ${pending.activityType?.name} attempt ${pending.attempt}: ${pending.lastFailure?.message ?? 'no failure'}`,
      ),
    )
    .join('\n');
}
