import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { DigestOutcome, NotificationActivities } from '../../activities/notifications/contract';

const activities = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  // A digest a sink could not take within the hour is stale: the next day's tells the same.
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  summary: 'list what waits for a person and send it to the notification sinks',
});

/** Run by the `notification-digest` schedule: one message listing what waits in NeedsAttention or AwaitingApproval. */
export async function notificationDigest(): Promise<DigestOutcome> {
  const outcome = await activities.sendDigest();
  setCurrentDetails(
    `**Digest sent** to ${outcome.delivered.join(', ') || 'no sink'}: ${outcome.waiting} waiting`,
  );
  return outcome;
}
