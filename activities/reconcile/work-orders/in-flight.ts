import { Stage } from '../../../workflows/work-order/stages';
import type { InFlightRule } from '../in-flight';

/**
 * How long after a change in Field Service a work order is not judged: the work order watcher reports
 * changes every minute (a Dataverse webhook at once) and the workflow reads them within seconds, so a
 * difference younger than this may simply not have reached F&O yet.
 */
export const IN_FLIGHT_WINDOW_MS = 10 * 60_000;

/** A work order is in flight while its workflow syncs, writes the order or records the invoice. */
export const workOrderInFlight: InFlightRule = {
  working: new Set([
    Stage.SyncingMasterData,
    Stage.CreatingSalesOrder,
    Stage.RecordingInvoice,
    Stage.Invoiced,
    Stage.Canceled,
  ]),
  parked: Stage.NeedsAttention,
  windowMs: IN_FLIGHT_WINDOW_MS,
};
