import { workOrders } from '../../../connectors/entities/dataverse';
import { WorkOrderNumber } from '../../../workflows/search-attributes';
import { Stage } from '../../../workflows/work-order/stages';
import { type DocumentWorkflows, workflowsWithoutDocument } from '../running-workflows';
import { JOIN_NAME } from './evaluate';

/** Work orders and their workflows (`workOrderInvoicing` in `workflows/work-order/workflow.ts`). */
export const WORK_ORDER_WORKFLOWS: DocumentWorkflows = {
  join: JOIN_NAME,
  document: 'work order',
  table: workOrders,
  numberColumn: 'msdyn_name',
  fieldServiceKey: 'workOrder',
  command: 'work-order',
  type: 'workOrderInvoicing',
  key: WorkOrderNumber,
  idPrefix: 'work-order-',
  parked: Stage.NeedsAttention,
};

/** Running work order workflows whose work order was deleted. */
export const workOrderWorkflowsWithoutWorkOrder = workflowsWithoutDocument(WORK_ORDER_WORKFLOWS, 'the work');
