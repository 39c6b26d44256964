import type { Drift, DriftClass, DriftWorkflow, Fix } from './drift';
import type { WorkflowRun } from './workflow-visibility';

/** Both sides' values of a drift. */
type Sides = Pick<Drift, 'fieldService' | 'finance'>;

/** A workflow run as a drift names it. */
export const driftWorkflowOf = (run: WorkflowRun | undefined): DriftWorkflow | null =>
  run ? { workflowId: run.workflowId, status: run.status, stage: run.stage } : null;

/** Makes the drifts a join finds of one document, each naming the join and the document's workflow. */
export function driftMaker(join: string, workflow: WorkflowRun | undefined) {
  return (
    driftClass: DriftClass,
    document: string,
    key: string,
    sides: Sides,
    message: string,
    fix: Fix,
  ): Drift => ({
    class: driftClass,
    join,
    document,
    key,
    ...sides,
    workflow: driftWorkflowOf(workflow),
    message,
    fix,
  });
}
export type MakeDrift = ReturnType<typeof driftMaker>;
