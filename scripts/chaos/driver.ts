import type { Client } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import type { Config } from '../../config/config';
import { Stage } from '../../workflows/work-order/stages';
import type { WorkOrderState } from '../../workflows/work-order/state';
import {
  approveInvoicingUpdate,
  invoicePostedSignal,
  statusQuery,
} from '../../workflows/work-order/messages';
import type { SandboxClient } from '../bench/sandbox-client';
import { editWhileAwaitingApproval, orderTotal, type WorkOrderPlan } from './work-order-plan';

/** Who the driver approves as; the approval check looks for it. */
export const DRIVER_APPROVER = 'chaos driver';
/** How long the driver waits for a worker to answer a query or an update (it may just have been killed). */
const ANSWER_MS = 10_000;

export interface DriverOutcome {
  /** Approval work orders changed in Field Service, and the workflows told (as a webhook does). */
  edited: Set<string>;
  /** Approval work orders the driver has approved (an approval whose answer was lost is not here). */
  approved: Set<string>;
  /** Work orders whose invoice was posted in F&O and signalled (likewise). */
  signalled: Set<string>;
  /** Workflows no longer running. */
  done: Set<string>;
}

/**
 * Plays Field Service's technician, the approver and F&O's user until every workflow has closed or the
 * deadline passes, asking Temporal's visibility each round which workflows wait for what:
 * - an approval work order awaiting approval is changed in Field Service and its workflow told; once the
 *   workflow's `status` shows F&O's order with the change (its total), it is approved;
 * - a work order awaiting its invoice gets it posted in F&O once and `invoicePosted` signalled.
 * A failure (a fault, a killed worker, the server restarting) is logged and the step tried next round.
 */
export async function drive(
  client: Client,
  config: Config,
  sandbox: SandboxClient,
  plans: ReadonlyMap<string, WorkOrderPlan>,
  deadline: number,
  log: (message: string) => void,
): Promise<DriverOutcome> {
  const outcome: DriverOutcome = {
    edited: new Set(),
    approved: new Set(),
    signalled: new Set(),
    done: new Set(),
  };
  const invoiceOf = new Map<string, string>();
  const company = config.finance.company;
  const queue = `TaskQueue = '${config.temporal.taskQueue}'`;
  const listed = async (condition: string) => {
    const numbers: string[] = [];
    for await (const execution of client.workflow.list({ query: `${queue} AND ${condition}` }))
      numbers.push(execution.workflowId.slice('work-order-'.length));
    return numbers;
  };
  const attempt = async (what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (err) {
      log(`driver: ${what}: ${String(err).split('\n')[0]} (again next round)`);
    }
  };

  const approve = async (plan: WorkOrderPlan) => {
    const handle = client.workflow.getHandle(workOrderWorkflowId(plan.number));
    if (!outcome.edited.has(plan.number)) {
      await editWhileAwaitingApproval(sandbox, plan);
      await startWorkOrder(client, config, plan.number);
      outcome.edited.add(plan.number);
      return;
    }
    const state = await client.withDeadline(Date.now() + ANSWER_MS, () =>
      handle.query<WorkOrderState>(statusQuery),
    );
    const total = state.salesOrder?.totalAmount;
    const changeInFinance = total !== undefined && Math.abs(total - orderTotal(plan.final)) < 0.005;
    if (state.stage !== Stage.AwaitingApproval || !changeInFinance) return;
    await client.withDeadline(Date.now() + ANSWER_MS, () =>
      handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: DRIVER_APPROVER }] }),
    );
    outcome.approved.add(plan.number);
  };

  const postInvoice = async (number: string) => {
    if (!invoiceOf.has(number)) invoiceOf.set(number, await sandbox.postInvoice(company, number));
    await client.workflow
      .getHandle(workOrderWorkflowId(number))
      .signal(invoicePostedSignal, { invoiceNumber: invoiceOf.get(number)!, legalEntity: company });
    outcome.signalled.add(number);
  };

  while (outcome.done.size < plans.size && Date.now() < deadline) {
    await attempt('listing workflows', async () => {
      for (const number of await listed(
        `ExecutionStatus = 'Running' AND IntegrationStage = '${Stage.AwaitingApproval}'`,
      )) {
        const plan = plans.get(number);
        if (plan?.approval && !outcome.approved.has(number))
          await attempt(`approval of ${number}`, () => approve(plan));
      }
      for (const number of await listed(
        `ExecutionStatus = 'Running' AND IntegrationStage = '${Stage.AwaitingInvoice}'`,
      )) {
        if (!outcome.signalled.has(number)) await attempt(`invoice of ${number}`, () => postInvoice(number));
      }
      for (const number of await listed(`ExecutionStatus != 'Running'`)) outcome.done.add(number);
    });
    await delay(500);
  }
  return outcome;
}
