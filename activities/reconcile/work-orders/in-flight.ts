import { Stage } from '../../../workflows/work-order/stages';
import type { WorkflowRun } from '../workflow-visibility';

/**
 * How long after a change in Field Service a work order is not judged: the work order watcher reports
 * changes every minute (a Dataverse webhook at once) and the workflow reads them within seconds, so a
 * difference younger than this may simply not have reached F&O yet.
 */
export const IN_FLIGHT_WINDOW_MS = 10 * 60_000;

/** Stages in which the workflow is reading or writing right now, or about to complete. */
const WORKING: ReadonlySet<string> = new Set([
  Stage.SyncingMasterData,
  Stage.CreatingSalesOrder,
  Stage.RecordingInvoice,
  Stage.Invoiced,
  Stage.Canceled,
]);

/** The workflow is at work on its documents: what they say now is not its last word. */
export const isWorking = (workflow: WorkflowRun | undefined): boolean =>
  workflow?.running === true && (workflow.stage === undefined || WORKING.has(workflow.stage));

/** Changed in Field Service within the in-flight window before `now` (or after it: clocks differ). */
export function changedRecently(modifiedOn: string | undefined, now: Date): boolean {
  if (modifiedOn === undefined) return false;
  return Date.parse(modifiedOn) > now.getTime() - IN_FLIGHT_WINDOW_MS;
}
