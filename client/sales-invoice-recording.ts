import { type Client, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { syncInputSchema } from '../activities/master-data/contract';
import { invoiceNumberSchema } from './starters/agreement-invoice';
import { syncScheduleId } from './sync-schedules';

/** The schedule that records F&O sales invoices in Field Service. */
export const SALES_INVOICE_SCHEDULE_ID = syncScheduleId('sales-invoices');

/** The schedule does not exist: `fsfo schedules apply` has not created it. */
export class NoSalesInvoiceSchedule extends Error {}

export interface RecordingRequest {
  /** Numbers added to the schedule's retry list now. */
  added: string[];
  /** Numbers it listed already (asked for before, or failed in a run, whose result says why). */
  listed: string[];
}

/**
 * Has the `sync-sales-invoices` schedule record these F&O sales invoices: adds their numbers to the
 * retry list its next run records first, then starts a run now, or right after the one in progress (a
 * run keeps numbers added while it runs). Idempotent: a number is listed once, and the sync leaves an
 * invoice Field Service already has. Writes nothing to Dynamics 365 itself.
 */
export async function requestSalesInvoiceRecording(
  client: Client,
  invoiceNumbers: readonly string[],
): Promise<RecordingRequest> {
  const numbers = invoiceNumbers.map((number) => invoiceNumberSchema.parse(number));
  const schedule = client.schedule.getHandle(SALES_INVOICE_SCHEDULE_ID);
  const request: RecordingRequest = { added: [], listed: [] };
  try {
    await schedule.update((previous) => {
      const parsed = syncInputSchema.safeParse(previous.action.args?.[0]);
      if (!parsed.success) throw new Error(`Schedule ${SALES_INVOICE_SCHEDULE_ID} does not run a sync`);
      const input = parsed.data;
      const listed = new Set(input.retry);
      request.added = numbers.filter((number) => !listed.has(number));
      request.listed = numbers.filter((number) => listed.has(number));
      const args = [{ ...input, retry: [...input.retry, ...request.added] }];
      return { ...previous, action: { ...previous.action, args } };
    });
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    throw new NoSalesInvoiceSchedule(
      `There is no schedule ${SALES_INVOICE_SCHEDULE_ID} to record the invoices: create it with "fsfo schedules apply"`,
      { cause: err },
    );
  }
  await schedule.trigger(ScheduleOverlapPolicy.BUFFER_ONE);
  return request;
}
