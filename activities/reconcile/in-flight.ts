import type { Outcome } from './document-pages';
import type { WorkflowRun } from './workflow-visibility';

/**
 * When a document is in flight, for one kind of document: its workflow reads or writes right now, or
 * the document changed so recently that the watcher or schedule that reports changes may not have told
 * its workflow yet.
 */
export interface InFlightRule {
  /** Stages in which the workflow reads or writes, or is about to complete. */
  working: ReadonlySet<string>;
  /** The stage the workflow parks in until a person fixes its data. */
  parked: string;
  /** How long after a change the document is not judged. */
  windowMs: number;
}

/** A change stamp within the window before `now` (or after it: clocks differ). */
const changedRecently = (stamp: string | undefined, windowMs: number, now: Date): boolean =>
  stamp !== undefined && stamp !== '' && Date.parse(stamp) > now.getTime() - windowMs;

/**
 * Why a document is not judged now, or undefined when it is: its workflow is at work on it, it changed
 * within the window (`stamps`: when each side last changed it), or its workflow is parked and the
 * workflow pass reports it.
 */
export function notJudged(
  rule: InFlightRule,
  workflow: WorkflowRun | undefined,
  stamps: readonly (string | undefined)[],
  now: Date,
): Outcome | undefined {
  if (workflow?.running && (workflow.stage === undefined || rule.working.has(workflow.stage)))
    return { kind: 'in flight' };
  if (workflow?.running && workflow.stage === rule.parked) return { kind: 'reported by its workflow' };
  if (stamps.some((stamp) => changedRecently(stamp, rule.windowMs, now))) return { kind: 'in flight' };
  return undefined;
}
