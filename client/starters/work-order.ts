import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { z } from 'zod';
import type { Config } from '../../config/config';
// The workflow's type only: activities import the starters and load no workflow code; its type is its name.
import type { workOrderInvoicing } from '../../workflows';
import { IntegrationStage, LegalEntity, WorkOrderNumber } from '../../workflows/search-attributes';
import { type WorkOrderChanged, workOrderChangedSignal } from '../../workflows/work-order/messages';
import { Stage } from '../../workflows/work-order/stages';

export const workOrderNumberSchema = z
  .string()
  .trim()
  .min(1, 'a work order number is required')
  .max(100, 'a work order number has at most 100 characters')
  .regex(/^[^\p{Cc}]+$/u, 'a work order number has no control characters');

export const workOrderWorkflowId = (workOrderNumber: string) => `work-order-${workOrderNumber}`;

/**
 * What Temporal Web shows as the workflow's Details (User Metadata): the operator's commands for this work
 * order. Written once, in the start event; the current stage is in the Current Details beside it.
 */
export function workOrderDetails(workOrderNumber: string): string {
  const fsfo = (command: string, options = '') =>
    `\`npx fsfo work-order ${command} ${workOrderNumber}${options}\``;
  return [
    `Field Service work order **${workOrderNumber}** → F&O sales order, approval, the F&O invoice recorded back.`,
    '',
    `- where it is and why: ${fsfo('status')}`,
    `- NeedsAttention, once the data is fixed: ${fsfo('retry')}`,
    `- AwaitingApproval: ${fsfo('approve', ' --by <you>')} or ${fsfo('reject', ' --by <you> --reason <what to fix>')}`,
  ].join('\n');
}

export type StartOutcome = 'started-or-signalled' | 'already-completed';

/**
 * Starts the work order's workflow, or tells the running one that the work order changed. One
 * workflow per work order whatever the number of callers (CLI, watcher, webhook): the ID is the work
 * order number, and a completed workflow is never started again (only a failed or terminated one).
 */
export async function startWorkOrder(
  client: Client,
  config: Config,
  workOrderNumber: string,
  /** The work order as the notifier read it: a running workflow ignores the notice of a version it already knows. */
  notice?: WorkOrderChanged,
): Promise<StartOutcome> {
  const number = workOrderNumberSchema.parse(workOrderNumber);
  try {
    await client.workflow.signalWithStart<typeof workOrderInvoicing, [WorkOrderChanged?]>(
      'workOrderInvoicing',
      {
        workflowId: workOrderWorkflowId(number),
        taskQueue: config.temporal.taskQueue,
        args: [
          {
            workOrderNumber: number,
            legalEntity: config.finance.company,
            approvalPolicy: config.approvalPolicy,
            approvalReminderAfterMs: config.notifications.approvalReminderAfterMs,
            approvers: config.approvers,
          },
        ],
        signal: workOrderChangedSignal,
        signalArgs: notice ? [notice] : [],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        typedSearchAttributes: [
          { key: WorkOrderNumber, value: number },
          { key: LegalEntity, value: config.finance.company },
          { key: IntegrationStage, value: Stage.SyncingMasterData },
        ],
        staticSummary: `Work order ${number} → F&O sales order in ${config.finance.company}`,
        staticDetails: workOrderDetails(number),
      },
    );
    return 'started-or-signalled';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already-completed';
    throw err;
  }
}

export type CanceledOutcome = 'signalled' | 'no-workflow';

/**
 * Tells the running workflow of a work order cancelled in Field Service (Closed-Canceled) that it
 * changed, so it reads it and ends; a cancelled work order never starts a workflow, so one without a
 * running workflow (never started, or completed) is left alone.
 */
export async function signalWorkOrderCanceled(
  client: Client,
  workOrderNumber: string,
  notice?: WorkOrderChanged,
): Promise<CanceledOutcome> {
  const number = workOrderNumberSchema.parse(workOrderNumber);
  try {
    const handle = client.workflow.getHandle(workOrderWorkflowId(number));
    await (notice ? handle.signal(workOrderChangedSignal, notice) : handle.signal(workOrderChangedSignal));
    return 'signalled';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'no-workflow';
    throw err;
  }
}
