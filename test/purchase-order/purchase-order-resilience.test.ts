import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { purchaseOrderWorkflowId, startPurchaseOrder } from '../../client/starters/purchase-order';
import { writeWorkflowBundle } from '../../scripts/bundle-workflows';
import type { purchaseOrderSync } from '../../workflows';
import { financePurchaseOrderChangedSignal, statusQuery } from '../../workflows/purchase-order/messages';
import type { PurchaseOrderState } from '../../workflows/purchase-order/state';
import { completedAttempt, killWorkerMidActivity } from '../support/worker-crash';
import { processWorker, type TestWorker } from '../support/workers';
import { startStack, type Stack } from '../support/stack';
import { activityTimeline } from '../support/activity-timeline';
import { connectToTestServer } from '../support/temporal';
import { createPurchaseOrder, fieldServiceOnHand } from './field-service-purchase-orders';

// The worker runs as its own process, so it can be killed with SIGKILL like a crashed machine.
let env: TestWorkflowEnvironment;
let stack: Stack;
let worker: TestWorker | undefined;
let workflowBundle: string;

beforeAll(async () => {
  env = await connectToTestServer();
  stack = await startStack('purchase-order-resilience');
  workflowBundle = join(mkdtempSync(join(tmpdir(), 'fsfo-po-resilience-')), 'workflow-bundle.js');
  await writeWorkflowBundle(workflowBundle);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

// Generous: a restarted worker waits out the killed one's heartbeat timeout (20 s), then backs off under faults.
async function waitFor(
  handle: WorkflowHandle<typeof purchaseOrderSync>,
  what: string,
  done: (state: PurchaseOrderState) => boolean,
): Promise<PurchaseOrderState> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const state = await handle.query(statusQuery).catch(() => undefined);
    if (state && done(state)) return state;
    if (Date.now() > deadline) {
      const timeline = await activityTimeline(handle);
      throw new Error(`${what}: still ${state?.stage} (${state?.waitingFor}); activities:\n${timeline}`);
    }
    await delay(250);
  }
}

test('worker killed mid-flow under 10% throttling and 5xx, and duplicate starts: one F&O order, one Field Service receipt per F&O receipt, stock raised once', async () => {
  const order = await createPurchaseOrder(stack, {
    lines: [
      { product: 'P-1000', quantity: 6 },
      { product: 'P-1001', quantity: 1 },
    ],
  });
  const stockBefore = await fieldServiceOnHand(stack, 'P-1000', '11');
  // 10 % of requests fail (half 429, half 503). A purchase order's load reads about eight times per attempt, so
  // at 20 % an attempt succeeds one time in six and the backoff (up to a minute) outlasts any sane deadline.
  const faults = { throttleRate: 0.05, throttleRetryAfterSeconds: 1, serverErrorRate: 0.05, latencyMs: 100 };
  for (const service of ['dataverse', 'finance'] as const) {
    expect((await stack.control(service, 'faults', faults, 'PUT')).ok).toBe(true);
  }
  worker = processWorker(stack, workflowBundle);
  expect(await startPurchaseOrder(env.client, stack.config, order.number)).toBe('started-or-signalled');
  const handle = env.client.workflow.getHandle<typeof purchaseOrderSync>(
    purchaseOrderWorkflowId(order.number),
  );
  // Kill the worker while one of the flow's activities runs on it, then start the order again.
  const interrupted = await killWorkerMidActivity(handle, worker, () => processWorker(stack, workflowBundle));
  expect(await startPurchaseOrder(env.client, stack.config, order.number)).toBe('started-or-signalled');
  worker = processWorker(stack, workflowBundle);
  await waitFor(handle, 'awaiting approval', (state) => state.stage === 'AwaitingFinanceApproval');

  const act = async (action: string, body: unknown = {}) => {
    // The control API is F&O's user, not the integration: no faults for it.
    expect(
      (await stack.control('finance', `purchase-orders/usmf/${order.number}/${action}`, body)).status,
    ).toBe(200);
    await handle.signal(financePurchaseOrderChangedSignal);
  };
  await act('approve');
  await waitFor(handle, 'awaiting receipt', (state) => state.stage === 'AwaitingReceipt');
  await act('receive', { lines: [{ lineNumber: 1, quantity: 2 }] });
  // Kill it while it handles the receipt, and start it again twice.
  interrupted.push(
    ...(await killWorkerMidActivity(handle, worker, () => processWorker(stack, workflowBundle))),
  );
  await startPurchaseOrder(env.client, stack.config, order.number);
  await handle.signal(financePurchaseOrderChangedSignal);
  worker = processWorker(stack, workflowBundle);
  await waitFor(handle, 'first receipt', (state) => state.recordedReceipts.length === 1);
  await act('receive');
  const result = await handle.result();
  expect(result).toMatchObject({ stage: 'Received' });
  expect(await startPurchaseOrder(env.client, stack.config, order.number)).toBe('already-completed');
  // Each kill cut an activity short: the server timed that attempt out and a later one completed it.
  for (const { activityId, attempt } of interrupted) {
    expect(await completedAttempt(handle, activityId)).toBeGreaterThan(attempt);
  }

  for (const service of ['dataverse', 'finance'] as const) await stack.control(service, 'faults', {}, 'PUT');
  const orders = await stack.finance<{ value: unknown[] }>(
    `PurchaseOrderHeadersV2?$filter=PurchaseOrderNumber eq '${order.number}'`,
  );
  expect(orders.value).toHaveLength(1);
  const lines = await stack.finance<{ value: unknown[] }>(
    `CDSPurchaseOrderLines?$filter=PurchaseOrderNumber eq '${order.number}'`,
  );
  expect(lines.value).toHaveLength(2);
  const financeReceipts = await stack.finance<{ value: { RecordId: number }[] }>(
    `ProductReceiptHeaders?$filter=PurchaseOrderNumber eq '${order.number}'`,
  );
  const receipts = await stack.dataverse<{
    value: { msdyn_recordid: number; msdyn_purchaseorderreceiptid: string }[];
  }>(`msdyn_purchaseorderreceipts?$filter=_msdyn_purchaseorder_value eq ${order.id}`);
  expect(receipts.value.map((receipt) => receipt.msdyn_recordid).sort()).toEqual(
    financeReceipts.value.map((receipt) => receipt.RecordId).sort(),
  );
  const receiptLines = await stack.dataverse<{ value: { msdyn_quantity: number }[] }>(
    `msdyn_purchaseorderreceiptproducts?$filter=_msdyn_purchaseorderreceipt_value eq ${receipts.value[0]!.msdyn_purchaseorderreceiptid} or _msdyn_purchaseorderreceipt_value eq ${receipts.value[1]!.msdyn_purchaseorderreceiptid}`,
  );
  expect(receiptLines.value.map((line) => line.msdyn_quantity).sort()).toEqual([1, 2, 4]);
  expect(await fieldServiceOnHand(stack, 'P-1000', '11')).toBe(stockBefore + 6);
}, 480_000);
