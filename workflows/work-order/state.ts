import type { PostedInvoice, SalesOrderSummary } from '../../activities/work-order/contract';
import type { ApprovalPolicy } from '../../config/approval-policy';
import type { IntegrationState } from '../integration/integration-flow';

export interface WorkOrderInput {
  workOrderNumber: string;
  legalEntity: string;
  approvalPolicy: ApprovalPolicy;
  /** Carried over by continue-as-new. */
  resumeFrom?: WorkOrderState;
}

/** Everything an operator may want to know; the `status` query returns it and the result ends with it. */
export interface WorkOrderState extends IntegrationState {
  workOrderNumber: string;
  legalEntity: string;
  salesOrder?: SalesOrderSummary;
  syncedVersion?: string;
  invoice?: Omit<PostedInvoice, 'header' | 'lines'> & { fieldServiceInvoiceId?: string };
  /** Field Service cancelled the work order (Closed-Canceled): when the workflow saw it, and what became of the order. */
  cancellation?: { seenAt: string; outcome: string };
}
