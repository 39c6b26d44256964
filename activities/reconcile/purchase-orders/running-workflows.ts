import { purchaseOrders } from '../../../connectors/entities/dataverse';
import { type PurchaseOrderHeader, purchaseOrderHeaders } from '../../../connectors/entities/finance';
import { Stage } from '../../../workflows/purchase-order/stages';
import type { PurchaseOrderState } from '../../../workflows/purchase-order/state';
import { keyFilters } from '../../key-filters';
import type { Drift } from '../drift';
import type { JoinContext } from '../join';
import { personFix } from '../repairs';
import type { WorkflowRun } from '../workflow-visibility';
import { JOIN_NAME } from './evaluate';

const purchaseOrderOf = (run: WorkflowRun) => run.key ?? run.workflowId.replace(/^purchase-order-/, '');

/**
 * Running purchase order workflows against Field Service: one whose order no longer exists follows an
 * F&O order (if F&O has it) that this integration wrote and nothing in Field Service asked for any more;
 * one parked in NeedsAttention waits for a person (its reason from the `status` query, asked of parked
 * workflows only). An F&O purchase order carries no mark of its origin, so its workflow is how reconcile
 * tells that this integration wrote it.
 */
export async function runningWorkflowDrifts(
  context: JoinContext,
  runs: readonly WorkflowRun[],
): Promise<Drift[]> {
  const numbers = runs.map(purchaseOrderOf);
  const existing = new Set<string>();
  for (const filter of keyFilters('msdyn_name', numbers)) {
    for await (const row of context.dataverse.query(purchaseOrders, { select: ['msdyn_name'], filter })) {
      existing.add((row.msdyn_name ?? '').toLowerCase());
    }
  }
  const orphans = runs.filter((run) => !existing.has(purchaseOrderOf(run).toLowerCase()));
  const financeOrders = new Map<string, PurchaseOrderHeader>();
  for (const filter of keyFilters('PurchaseOrderNumber', orphans.map(purchaseOrderOf))) {
    for await (const order of context.finance.query(purchaseOrderHeaders, { filter })) {
      financeOrders.set(order.PurchaseOrderNumber.toLowerCase(), order);
    }
  }
  const drifts: Drift[] = [];
  for (const run of runs) {
    const number = purchaseOrderOf(run);
    const workflow = { workflowId: run.workflowId, status: run.status, stage: run.stage };
    const terminate =
      `terminate workflow ${run.workflowId} in Temporal Web, or with ` +
      `"temporal workflow terminate --workflow-id ${run.workflowId} --reason 'purchase order deleted'"`;
    if (!existing.has(number.toLowerCase())) {
      const order = financeOrders.get(number.toLowerCase());
      drifts.push({
        class: 'orphan',
        join: JOIN_NAME,
        document: order ? 'F&O purchase order' : 'workflow',
        key: order ? order.PurchaseOrderNumber : run.workflowId,
        fieldService: null,
        finance: order
          ? {
              PurchaseOrderNumber: order.PurchaseOrderNumber,
              DocumentApprovalStatus: order.DocumentApprovalStatus ?? null,
              PurchaseOrderStatus: order.PurchaseOrderStatus ?? null,
            }
          : null,
        workflow,
        message: order
          ? `F&O purchase order ${number} was written by this integration (workflow ${run.workflowId}, ` +
            `${run.stage ?? 'no stage'}), but purchase order ${number} no longer exists in Field Service.`
          : `Workflow ${run.workflowId} (${run.stage ?? 'no stage'}) follows purchase order ${number}, which no ` +
            'longer exists in Field Service (F&O has no order of that number).',
        fix: personFix(
          order
            ? `Cancel F&O purchase order ${number} in F&O if nothing is to be ordered any more (or receive it ` +
                `there if it was), then ${terminate}.`
            : `Check what became of the order; then ${terminate}.`,
        ),
      });
    } else if (run.stage === Stage.NeedsAttention) {
      const state = await context.workflows.query<PurchaseOrderState>(run.workflowId, 'status');
      const reason = state?.attention
        ? `${state.attention.reason} (since ${state.attention.since})`
        : `its reason is in "fsfo purchase-order status ${number}"`;
      drifts.push({
        class: 'needs attention',
        join: JOIN_NAME,
        document: 'workflow',
        key: run.workflowId,
        fieldService: { purchaseOrder: number },
        finance: null,
        workflow,
        message: `The workflow of purchase order ${number} needs attention: ${reason}.`,
        fix: personFix(
          'Fix what the reason says, then run the command.',
          `fsfo purchase-order retry ${number}`,
        ),
      });
    }
  }
  return drifts;
}
