import type {
  PostedInvoice,
  RowsAtHand,
  SalesOrderSummary,
  WorkOrderVersion,
} from '../../activities/work-order/contract';
import type { ApprovalPolicy, Approvers } from '../../config/approval-policy';
import type { IntegrationState } from '../integration/integration-flow';

export interface WorkOrderInput {
  workOrderNumber: string;
  legalEntity: string;
  approvalPolicy: ApprovalPolicy;
  /** APPROVAL_REMINDER_AFTER when the workflow started: one reminder after this long waiting for approval. */
  approvalReminderAfterMs?: number;
  /** Who may approve or reject (`APPROVERS` when the workflow started; continue-as-new keeps it); absent: anyone. */
  approvers?: Approvers;
  /** Carried over by continue-as-new. */
  resumeFrom?: WorkOrderState;
}

/** Everything an operator may want to know; the `status` query returns it and the result ends with it. */
export interface WorkOrderState extends IntegrationState {
  workOrderNumber: string;
  legalEntity: string;
  salesOrder?: SalesOrderSummary;
  /** The work order's version the sales order was last written from. */
  syncedVersion?: string;
  /** The work order as last read or written: its id, version and header ETag (a notice not newer is its own echo). */
  workOrder?: WorkOrderVersion;
  /** The work order's accounts and products, as the invoice's lookups bind to them. */
  atHand?: RowsAtHand;
  invoice?: PostedInvoice & { fieldServiceInvoiceId?: string };
  /** Field Service cancelled the work order (Closed-Canceled): when the workflow saw it, and what became of the order. */
  cancellation?: { seenAt: string; outcome: string };
}
