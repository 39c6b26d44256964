import type { Client, WorkflowHandle } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { purchaseOrderWorkflowId, startPurchaseOrder } from '../../client/starters/purchase-order';
import type { purchaseOrderSync } from '../../workflows';
import { financePurchaseOrderChangedSignal, statusQuery } from '../../workflows/purchase-order/messages';
import type { PurchaseOrderState } from '../../workflows/purchase-order/state';
import { IntegrationStage, PurchaseOrderNumber } from '../../workflows/search-attributes';
import { createPurchaseOrder } from '../purchase-order/field-service-purchase-orders';
import type { Stack } from '../support/stack';
import { visible } from './support';

export type PurchaseOrderHandle = WorkflowHandle<typeof purchaseOrderSync>;

/** A submitted Field Service purchase order of one line: `quantity` × P-1000 from vendor V-1000 into warehouse 11. */
export const submittedPurchaseOrder = (stack: Stack, quantity = 10) =>
  createPurchaseOrder(stack, { lines: [{ product: 'P-1000', quantity }] });

/** Polls the workflow's `status` query until `done` holds. */
export async function waitForState(
  handle: PurchaseOrderHandle,
  what: string,
  done: (state: PurchaseOrderState) => boolean,
): Promise<PurchaseOrderState> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const state = await handle.query(statusQuery);
    if (done(state)) return state;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(state)}`);
    await delay(150);
  }
}

/** Waits until the workflow is in `stage`, by its state and in visibility. */
export async function inStage(client: Client, number: string, stage: string): Promise<PurchaseOrderState> {
  const handle: PurchaseOrderHandle = client.workflow.getHandle(purchaseOrderWorkflowId(number));
  const state = await waitForState(handle, `stage ${stage}`, (current) => current.stage === stage);
  await visible(client, PurchaseOrderNumber, number, `${IntegrationStage.name} = '${stage}'`);
  return state;
}

/** A procurement user in F&O (approve, receive, …); no watcher tells the workflow unless `tell`. */
export async function inFinance(
  client: Client,
  stack: Stack,
  number: string,
  action: string,
  options: { body?: unknown; tell?: boolean } = {},
): Promise<Record<string, unknown>> {
  const response = await stack.control(
    'finance',
    `purchase-orders/usmf/${number}/${action}`,
    options.body ?? {},
  );
  if (response.status !== 200) throw new Error(`${action}: ${response.status} ${await response.text()}`);
  if (options.tell)
    await client.workflow
      .getHandle(purchaseOrderWorkflowId(number))
      .signal(financePurchaseOrderChangedSignal);
  return (await response.json()) as Record<string, unknown>;
}

/** Started and written to F&O: the workflow awaits procurement's approval. */
export async function awaitingApproval(
  client: Client,
  stack: Stack,
  number: string,
): Promise<PurchaseOrderState> {
  await startPurchaseOrder(client, stack.config, number);
  return inStage(client, number, 'AwaitingFinanceApproval');
}

/** Approved in F&O (and told): the workflow awaits receipts. */
export async function awaitingReceipt(
  client: Client,
  stack: Stack,
  number: string,
): Promise<PurchaseOrderState> {
  await awaitingApproval(client, stack, number);
  await inFinance(client, stack, number, 'approve', { tell: true });
  return inStage(client, number, 'AwaitingReceipt');
}

/** F&O receives `quantity` of line 1, the workflow is told and records it; returns the receipt's number and RecordId. */
export async function receivedInPart(
  client: Client,
  stack: Stack,
  number: string,
  quantity: number,
): Promise<{ receiptNumber: string; recordId: number }> {
  const receipt = await inFinance(client, stack, number, 'receive', {
    body: { lines: [{ lineNumber: 1, quantity }] },
    tell: true,
  });
  const handle: PurchaseOrderHandle = client.workflow.getHandle(purchaseOrderWorkflowId(number));
  await waitForState(handle, 'receipt recorded', (state) =>
    state.recordedReceipts.includes(Number(receipt.RecordId)),
  );
  await inStage(client, number, 'AwaitingReceipt');
  return { receiptNumber: String(receipt.ProductReceiptNumber), recordId: Number(receipt.RecordId) };
}

/**
 * F&O stamps changes to the second: waits until the second in which the workflow last read F&O's order
 * has passed, so a change made now is later than what the workflow has seen.
 */
export async function afterTheWorkflowsRead(state: PurchaseOrderState): Promise<void> {
  const read = Date.parse(state.finance?.modifiedOn ?? '');
  while (Date.now() < read + 1_000) await delay(50);
}
