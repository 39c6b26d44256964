import { purchaseOrders } from '../../../connectors/entities/dataverse';
import { purchaseOrderHeaders } from '../../../connectors/entities/finance';
import { Stage } from '../../../workflows/purchase-order/stages';
import { PurchaseOrderNumber } from '../../../workflows/search-attributes';
import { driftMaker } from '../document-drift';
import type { Drift } from '../drift';
import type { JoinContext } from '../join';
import { rowsByKey } from '../key-reads';
import { personFix } from '../repairs';
import type { DocumentWorkflows, NumberedRun } from '../running-workflows';
import { JOIN_NAME } from './evaluate';

/** Purchase orders and their workflows (`purchaseOrderSync` in `workflows/purchase-order/workflow.ts`). */
export const PURCHASE_ORDER_WORKFLOWS: DocumentWorkflows = {
  join: JOIN_NAME,
  document: 'purchase order',
  table: purchaseOrders,
  numberColumn: 'msdyn_name',
  fieldServiceKey: 'purchaseOrder',
  command: 'purchase-order',
  type: 'purchaseOrderSync',
  key: PurchaseOrderNumber,
  idPrefix: 'purchase-order-',
  parked: Stage.NeedsAttention,
};

/**
 * Running purchase order workflows whose order no longer exists in Field Service: each follows an F&O order
 * (if F&O has it) that this integration wrote and nothing in Field Service asks for any more. An F&O
 * purchase order carries no mark of its origin, so its workflow is how reconcile tells that this
 * integration wrote it.
 */
export async function purchaseOrderWorkflowsWithoutOrder(
  context: JoinContext,
  gone: readonly NumberedRun[],
): Promise<Drift[]> {
  const financeOrders = await rowsByKey(
    'PurchaseOrderNumber',
    gone.map(({ number }) => number),
    (filter) => context.finance.query(purchaseOrderHeaders, { filter }),
    (order) => order.PurchaseOrderNumber,
  );
  return gone.map(({ run, number }) => {
    const order = financeOrders.get(number.toLowerCase())?.at(-1);
    const terminate =
      `terminate workflow ${run.workflowId} in Temporal Web, or with ` +
      `"temporal workflow terminate --workflow-id ${run.workflowId} --reason 'purchase order deleted'"`;
    const drift = driftMaker(JOIN_NAME, run);
    if (!order) {
      return drift(
        'orphan',
        'workflow',
        run.workflowId,
        { fieldService: null, finance: null },
        `Workflow ${run.workflowId} (${run.stage ?? 'no stage'}) follows purchase order ${number}, which no ` +
          'longer exists in Field Service (F&O has no order of that number).',
        personFix(`Check what became of the order; then ${terminate}.`),
      );
    }
    return drift(
      'orphan',
      'F&O purchase order',
      order.PurchaseOrderNumber,
      {
        fieldService: null,
        finance: {
          PurchaseOrderNumber: order.PurchaseOrderNumber,
          DocumentApprovalStatus: order.DocumentApprovalStatus ?? null,
          PurchaseOrderStatus: order.PurchaseOrderStatus ?? null,
        },
      },
      `F&O purchase order ${number} was written by this integration (workflow ${run.workflowId}, ` +
        `${run.stage ?? 'no stage'}), but purchase order ${number} no longer exists in Field Service.`,
      personFix(
        `Cancel F&O purchase order ${number} in F&O if nothing is to be ordered any more (or receive it ` +
          `there if it was), then ${terminate}.`,
      ),
    );
  });
}
