import { Stage } from '../../../workflows/purchase-order/stages';
import type { InFlightRule } from '../in-flight';

/**
 * A purchase order is in flight while its workflow writes either side or records a receipt, and for 30
 * minutes after a change in Field Service or F&O. The `sync-purchase-orders` and
 * `sync-purchase-order-changes` schedules report changes every 15 minutes (`fsfo schedules apply
 * --sync-every`), and the last two seconds wait for the next run; the workflow reads a reported change
 * within seconds. Twice the schedules' default period.
 */
export const purchaseOrderInFlight: InFlightRule = {
  working: new Set([
    Stage.SyncingPurchaseOrder,
    Stage.UpdatingFieldService,
    Stage.RecordingReceipt,
    Stage.Received,
    Stage.Canceled,
  ]),
  parked: Stage.NeedsAttention,
  windowMs: 30 * 60_000,
};
