import { proxyActivities } from '@temporalio/workflow';
import type { FreeTextPostingOutcomes, WatcherActivities } from '../../activities/watchers/contract';

const activities = proxyActivities<WatcherActivities>({
  // One query per 50 waiting invoices: long only with many thousands waiting; the heartbeat shows it is alive.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Run by the `free-text-invoice-watcher` schedule: tells each agreement invoice workflow waiting for F&O
 * whose free text invoice F&O has posted, so the posting is recorded within the schedule's period instead
 * of at the workflow's daily re-check. It keeps no watermark: each run asks about the workflows waiting now.
 */
export async function freeTextInvoiceWatcher(): Promise<FreeTextPostingOutcomes> {
  return activities.signalPostedFreeTextInvoices();
}
