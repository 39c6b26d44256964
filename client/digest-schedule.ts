import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Config } from '../config/config';
import { notificationDigest } from '../workflows';
import type { ApplyOutcome } from './schedules';

export const DIGEST_SCHEDULE_ID = 'notification-digest';

/**
 * Creates the `notification-digest` schedule (daily at NOTIFY_DIGEST_AT in NOTIFY_DIGEST_TIME_ZONE), or
 * brings an existing one up to date; deletes it when the digest is not configured. Each run sends one
 * message listing what waits in NeedsAttention or AwaitingApproval.
 */
export async function applyDigestSchedule(
  client: Client,
  config: Config,
  /** Create it paused (it runs only when triggered, until resumed); an existing one keeps its state. */
  { paused = false }: { paused?: boolean } = {},
): Promise<ApplyOutcome | 'deleted' | undefined> {
  const handle = client.schedule.getHandle(DIGEST_SCHEDULE_ID);
  const { digest } = config.notifications;
  if (!digest) {
    const existed = await handle.delete().then(
      () => true,
      () => false,
    );
    return existed ? 'deleted' : undefined;
  }
  const [hour, minute] = digest.at.split(':').map(Number) as [number, number];
  const spec = { calendars: [{ hour, minute }], timezone: digest.timeZone };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: notificationDigest.name,
    workflowId: DIGEST_SCHEDULE_ID,
    taskQueue: config.temporal.taskQueue,
    args: [],
    staticSummary: `Daily digest at ${digest.at} ${digest.timeZone}: what waits for a person`,
  };
  try {
    await client.schedule.create({
      scheduleId: DIGEST_SCHEDULE_ID,
      spec,
      policies,
      action,
      state: { paused },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await handle.update((previous) => ({ ...previous, spec, policies, action }));
    return 'updated';
  }
}
