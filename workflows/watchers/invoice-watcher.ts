import { proxyActivities } from '@temporalio/workflow';
import type { InvoiceWatermark, WatcherActivities, WatcherInput } from '../../activities/watchers/contract';

const activities = proxyActivities<WatcherActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Bounds one run's history; the next scheduled run carries on from the saved watermark. */
const PAGE_SIZE = 100;
const MAX_PAGES_PER_RUN = 20;

export interface InvoiceWatcherResult {
  watermark: InvoiceWatermark;
  signalled: number;
  notOurs: number;
}

/**
 * Run by the `invoice-watcher` schedule: signals `invoicePosted` to the work order workflow of every
 * sales invoice F&O posted since the watermark, whatever its invoice date (a date behind the watermark
 * is found by the reader's lookback count and read again), then advances the watermark in the
 * schedule. Its cost depends on the number of new invoices, never on the number of waiting workflows.
 */
export async function invoiceWatcher(input: WatcherInput<InvoiceWatermark>): Promise<InvoiceWatcherResult> {
  const result: InvoiceWatcherResult = { watermark: input.watermark, signalled: 0, notOurs: 0 };
  for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
    const invoices = await activities.findPostedInvoices({ after: result.watermark, limit: PAGE_SIZE });
    if (invoices.items.length > 0) {
      const outcomes = await activities.signalInvoicesPosted(invoices.items);
      result.signalled += outcomes.signalled;
      result.notOurs += outcomes.notOurs;
    }
    // Only once every invoice of the page has been signalled; a run that found nothing writes nothing.
    if (JSON.stringify(invoices.watermark) !== JSON.stringify(result.watermark)) {
      await activities.saveWatermark({ scheduleId: input.scheduleId, watermark: invoices.watermark });
      result.watermark = invoices.watermark;
    }
    if (!invoices.more) break;
  }
  return result;
}
