import { workOrders } from '../../../connectors/entities/dataverse';
import { Stage } from '../../../workflows/work-order/stages';
import type { WorkOrderState } from '../../../workflows/work-order/state';
import { keyFilters } from '../../key-filters';
import type { Drift } from '../drift';
import type { JoinContext } from '../join';
import { personFix } from '../repairs';
import type { WorkflowRun } from '../workflow-visibility';
import { JOIN_NAME } from './evaluate';

const workOrderOf = (run: WorkflowRun) => run.key ?? run.workflowId.replace(/^work-order-/, '');

/**
 * Running work order workflows against Field Service: one whose work order no longer exists waits for
 * nothing; one parked in NeedsAttention waits for a person (its reason from the `status` query, asked
 * of parked workflows only).
 */
export async function runningWorkflowDrifts(
  context: JoinContext,
  runs: readonly WorkflowRun[],
): Promise<Drift[]> {
  const existing = new Set<string>();
  for (const filter of keyFilters('msdyn_name', runs.map(workOrderOf))) {
    for await (const row of context.dataverse.query(workOrders, { select: ['msdyn_name'], filter })) {
      existing.add(row.msdyn_name.toLowerCase());
    }
  }
  const drifts: Drift[] = [];
  for (const run of runs) {
    const number = workOrderOf(run);
    const workflow = { workflowId: run.workflowId, status: run.status, stage: run.stage };
    if (!existing.has(number.toLowerCase())) {
      drifts.push({
        class: 'orphan',
        join: JOIN_NAME,
        document: 'workflow',
        key: run.workflowId,
        fieldService: null,
        finance: null,
        workflow,
        message: `Workflow ${run.workflowId} (${run.stage ?? 'no stage'}) waits for work order ${number}, which no longer exists in Field Service.`,
        fix: personFix(
          `Check what became of the work; then terminate the workflow in Temporal Web, or with ` +
            `"temporal workflow terminate --workflow-id ${run.workflowId} --reason 'work order deleted'".`,
        ),
      });
    } else if (run.stage === Stage.NeedsAttention) {
      const state = await context.workflows.query<WorkOrderState>(run.workflowId, 'status');
      const reason = state?.attention
        ? `${state.attention.reason} (since ${state.attention.since})`
        : `its reason is in "fsfo work-order status ${number}"`;
      drifts.push({
        class: 'needs attention',
        join: JOIN_NAME,
        document: 'workflow',
        key: run.workflowId,
        fieldService: { workOrder: number },
        finance: null,
        workflow,
        message: `The workflow of work order ${number} needs attention: ${reason}.`,
        fix: personFix(`Fix what the reason says, then run the command.`, `fsfo work-order retry ${number}`),
      });
    }
  }
  return drifts;
}
