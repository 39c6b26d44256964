import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { setTimeout as delay } from 'node:timers/promises';
import { registerPurchaseOrderCommands } from '../../client/commands/purchase-order';
import { purchaseOrderWorkflowId } from '../../client/starters/purchase-order';
import { financePurchaseOrderChangedSignal, statusQuery } from '../../workflows/purchase-order/messages';
import { createPurchaseOrder, updateInDataverse } from '../purchase-order/field-service-purchase-orders';
import { startStack, type Stack } from '../support/stack';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { runCli } from '../support/cli';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
  stack = await startStack('purchase-order-cli');
  worker = await inProcessWorker(env, stack, workflowBundle);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

/** Runs `fsfo purchase-order ...` in process. */
const fsfo = (...args: string[]) =>
  runCli(registerPurchaseOrderCommands, stack.config, 'purchase-order', args);

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 150 && !done(value); attempt++) {
    await delay(200);
    value = await read();
  }
  return value;
}

test('start, status, list by stage, a refused retry, an edit after approval that needs attention and its retry', async () => {
  const order = await createPurchaseOrder(stack, { lines: [{ product: 'P-1000', quantity: 2 }] });
  const number = order.number;
  const handle = env.client.workflow.getHandle(purchaseOrderWorkflowId(number));
  expect((await fsfo('start', number)).stdout).toBe(
    `Purchase order ${number}: workflow purchase-order-${number} started or signalled.`,
  );
  await eventually(
    () => handle.query(statusQuery),
    (state) => state.stage === 'AwaitingFinanceApproval',
  );
  const status = await fsfo('status', number);
  expect(status.stdout).toContain(`Purchase order ${number} from vendor V-1000 (usmf)`);
  expect(status.stdout).toMatch(/Stage: +AwaitingFinanceApproval/);
  expect(status.stdout).toMatch(/In F&O: +approval Draft, order Backorder, 1 lines, 34\.20/);

  const listed = await eventually(
    () => fsfo('list', '--stage', 'AwaitingFinanceApproval'),
    (result) => result.stdout.includes(number),
  );
  expect(listed.stdout).toMatch(new RegExp(`^${number} +vendor V-1000`, 'm'));

  const refused = await fsfo('retry', number);
  expect(refused.exitCode).toBe(1);
  expect(refused.stderr).toBe(
    `Refused: Cannot retry: purchase order ${number} is AwaitingFinanceApproval, not NeedsAttention`,
  );
  await expect(fsfo('list', '--stage', 'Nowhere')).rejects.toThrow('expected one of SyncingPurchaseOrder');

  await stack.control('finance', `purchase-orders/usmf/${number}/approve`, {});
  await handle.signal(financePurchaseOrderChangedSignal);
  await eventually(
    () => handle.query(statusQuery),
    (state) => state.stage === 'AwaitingReceipt',
  );
  await updateInDataverse(stack, `msdyn_purchaseorderproducts(${order.lineIds[0]})`, { msdyn_quantity: 3 });
  await fsfo('start', number);
  await eventually(
    () => handle.query(statusQuery),
    (state) => state.stage === 'NeedsAttention',
  );
  expect((await fsfo('status', number)).stdout).toMatch(
    /Attention: +Purchase order .+ changed in Field Service after F&O's approval status became Approved .+\(in SyncingPurchaseOrder since .+\)/,
  );
  await updateInDataverse(stack, `msdyn_purchaseorderproducts(${order.lineIds[0]})`, { msdyn_quantity: 2 });
  expect((await fsfo('retry', number, '--by', 'dana')).stdout).toBe(
    `Retrying purchase order ${number}: SyncingPurchaseOrder runs again.`,
  );
  await eventually(
    () => handle.query(statusQuery),
    (state) => state.stage === 'AwaitingReceipt',
  );
  expect((await fsfo('start', 'PO with\u0007bell')).stderr).toContain('Invalid purchase order number');
  await handle.terminate('test done');
});
