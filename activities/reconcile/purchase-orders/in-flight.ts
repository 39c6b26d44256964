import { Stage } from '../../../workflows/purchase-order/stages';
import type { WorkflowRun } from '../workflow-visibility';

/**
 * How long after a change in Field Service or F&O a purchase order is not judged. The
 * `sync-purchase-orders` and `sync-purchase-order-changes` schedules report changes every 15 minutes
 * (`fsfo schedules apply --sync-every`), and the last two seconds wait for the next run; the workflow
 * reads a reported change within seconds. Twice the schedules' default period.
 */
export const PURCHASE_ORDER_IN_FLIGHT_MS = 30 * 60_000;

/** Stages in which the workflow reads or writes right now, or is about to complete. */
const WORKING: ReadonlySet<string> = new Set([
  Stage.SyncingPurchaseOrder,
  Stage.UpdatingFieldService,
  Stage.RecordingReceipt,
  Stage.Received,
  Stage.Cancelled,
]);

/** The workflow is at work on the order: what either side says now is not its last word. */
export const isWorking = (workflow: WorkflowRun | undefined): boolean =>
  workflow?.running === true && (workflow.stage === undefined || WORKING.has(workflow.stage));

/** A change stamp within the in-flight window before `now` (or after it: clocks differ). */
export function changedRecently(stamp: string | undefined, now: Date): boolean {
  if (stamp === undefined || stamp === '') return false;
  return Date.parse(stamp) > now.getTime() - PURCHASE_ORDER_IN_FLIGHT_MS;
}
