import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { z } from 'zod';
import type { Config } from '../../config/config';
// The workflow's type only: activities import the starters and load no workflow code; its type is its name.
import type { purchaseOrderSync } from '../../workflows';
import {
  financePurchaseOrderChangedSignal,
  purchaseOrderChangedSignal,
} from '../../workflows/purchase-order/messages';
import { Stage } from '../../workflows/purchase-order/stages';
import { IntegrationStage, LegalEntity, PurchaseOrderNumber } from '../../workflows/search-attributes';
import type { StartOutcome } from './work-order';

export const purchaseOrderNumberSchema = z
  .string()
  .trim()
  .min(1, 'a purchase order number is required')
  .max(20, 'an F&O purchase order number has at most 20 characters')
  .regex(/^[^\p{Cc}]+$/u, 'a purchase order number has no control characters');

export const purchaseOrderWorkflowId = (number: string) => `purchase-order-${number}`;

/**
 * Starts the workflow of a submitted Field Service purchase order, or tells the running one that the
 * order changed in Field Service. One workflow per order whatever the number of callers: the ID is
 * the order's number, and a completed workflow (received or cancelled) is never started again.
 */
export async function startPurchaseOrder(
  client: Client,
  config: Config,
  number: string,
): Promise<StartOutcome> {
  const purchaseOrderNumber = purchaseOrderNumberSchema.parse(number);
  try {
    await client.workflow.signalWithStart<typeof purchaseOrderSync>('purchaseOrderSync', {
      workflowId: purchaseOrderWorkflowId(purchaseOrderNumber),
      taskQueue: config.temporal.taskQueue,
      args: [{ purchaseOrderNumber, legalEntity: config.finance.company }],
      signal: purchaseOrderChangedSignal,
      signalArgs: [],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      typedSearchAttributes: [
        { key: PurchaseOrderNumber, value: purchaseOrderNumber },
        { key: LegalEntity, value: config.finance.company },
        { key: IntegrationStage, value: Stage.SyncingPurchaseOrder },
      ],
      staticSummary: `Purchase order ${purchaseOrderNumber} ↔ F&O purchase order in ${config.finance.company}`,
    });
    return 'started-or-signalled';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already-completed';
    throw err;
  }
}

/** Tells the running workflow of an order that F&O changed it; an order without one is not the integration's. */
export async function signalFinancePurchaseOrderChanged(
  client: Client,
  number: string,
): Promise<'signalled' | 'not-ours'> {
  try {
    await client.workflow
      .getHandle(purchaseOrderWorkflowId(number))
      .signal(financePurchaseOrderChangedSignal);
    return 'signalled';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'not-ours';
    throw err;
  }
}

/**
 * Tells the running workflow of an order that it changed in Field Service and in F&O, as both watchers
 * would: it reads both sides and brings each up to date (reconcile's repair when a report was missed).
 * Starts none.
 */
export async function notifyPurchaseOrder(
  client: Client,
  number: string,
): Promise<'signalled' | 'no-workflow'> {
  const handle = client.workflow.getHandle(purchaseOrderWorkflowId(purchaseOrderNumberSchema.parse(number)));
  try {
    await handle.signal(purchaseOrderChangedSignal);
    await handle.signal(financePurchaseOrderChangedSignal);
    return 'signalled';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'no-workflow';
    throw err;
  }
}
