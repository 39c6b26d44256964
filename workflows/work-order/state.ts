import type { PostedInvoice, SalesOrderSummary } from '../../activities/work-order/contract';
import type { ApprovalPolicy } from './approval-policy';
import type { Stage } from './stages';

export interface WorkOrderInput {
  workOrderNumber: string;
  legalEntity: string;
  approvalPolicy: ApprovalPolicy;
  /** Carried over by continue-as-new. */
  resumeFrom?: WorkOrderState;
}

export interface Approval {
  approvedBy: string;
  approvedAt: string;
  comment?: string;
}

export interface Rejection {
  rejectedBy: string;
  rejectedAt: string;
  reason: string;
}

/** Everything an operator may want to know; the `status` query returns it and the result ends with it. */
export interface WorkOrderState {
  workOrderNumber: string;
  legalEntity: string;
  stage: Stage;
  /** What the workflow is waiting for, in a sentence (also shown in Temporal Web). */
  waitingFor: string;
  salesOrder?: SalesOrderSummary;
  syncedVersion?: string;
  approval?: Approval;
  rejections: Rejection[];
  attention?: { reason: string; stage: Stage; since: string };
  invoice?: Omit<PostedInvoice, 'header' | 'lines'> & { fieldServiceInvoiceId?: string };
}
