import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { DecidingUser } from '../../workflows/integration/decisions';
import { approveInvoicingUpdate, rejectInvoicingUpdate } from '../../workflows/work-order/messages';
import { workOrderNumberSchema, workOrderWorkflowId } from './work-order';

/** A decision on invoicing taken in Field Service by a Dataverse user. */
export interface FieldServiceDecisionBy {
  decision: 'approve' | 'reject';
  reason?: string;
  /** How the decision names its author: full name and e-mail. */
  by: string;
  user: DecidingUser;
}

/**
 * `taken`: the workflow accepted it; `refused`: the workflow refused it (not an approver, no reason for
 * a rejection), with why; `not-awaiting`: no workflow waits for a decision (none, or not in
 * AwaitingApproval), so the change is an ordinary one.
 */
export type DecisionOutcome = { outcome: 'taken' } | { outcome: 'refused' | 'not-awaiting'; reason: string };

/** Sends a Field Service decision to the work order's workflow as the `approveInvoicing` or `rejectInvoicing` update. */
export async function decideInvoicing(
  client: Client,
  workOrderNumber: string,
  { decision, reason, by, user }: FieldServiceDecisionBy,
): Promise<DecisionOutcome> {
  const handle = client.workflow.getHandle(workOrderWorkflowId(workOrderNumberSchema.parse(workOrderNumber)));
  const channel = 'field-service';
  try {
    if (decision === 'approve') {
      await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: by, channel, user }] });
    } else {
      await handle.executeUpdate(rejectInvoicingUpdate, {
        args: [{ rejectedBy: by, reason: reason ?? '', channel, user }],
      });
    }
    return { outcome: 'taken' };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      return { outcome: 'not-awaiting', reason: 'no running workflow' };
    if (!(err instanceof WorkflowUpdateFailedError)) throw err;
    const cause = err.cause;
    const why = cause?.message ?? err.message;
    if (cause instanceof ApplicationFailure && cause.type === 'WrongStage') {
      return { outcome: 'not-awaiting', reason: why };
    }
    return { outcome: 'refused', reason: why };
  }
}
