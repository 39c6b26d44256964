/**
 * Records the purchase order history that test/workflows/replay.test.ts replays against the current
 * workflow code (like test/workflows/record-histories.ts for the other flows):
 *
 *   npx tsx test/purchase-order/record-history.ts
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { purchaseOrderWorkflowId, startPurchaseOrder } from '../../client/starters/purchase-order';
import { startDevServer } from '../../scripts/dev-server';
import { findOrInstallTemporal } from '../../scripts/temporal-cli';
import { createWorker } from '../../worker/worker';
import type { purchaseOrderSync } from '../../workflows';
import { financePurchaseOrderChangedSignal, statusQuery } from '../../workflows/purchase-order/messages';
import { startStack } from '../support/stack';
import { createPurchaseOrder } from './field-service-purchase-orders';

async function main(): Promise<void> {
  const env = await startDevServer();
  process.env.TEMPORAL_TEST_ADDRESS = env.address;
  const stack = await startStack('replay-purchase-order');
  try {
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      config: stack.config,
    });
    await worker.runUntil(async () => {
      const order = await createPurchaseOrder(stack, { lines: [{ product: 'P-1000', quantity: 4 }] });
      await startPurchaseOrder(env.client, stack.config, order.number);
      const handle = env.client.workflow.getHandle<typeof purchaseOrderSync>(
        purchaseOrderWorkflowId(order.number),
      );
      const until = async (done: (stage: string, receipts: number) => boolean) => {
        for (;;) {
          const state = await handle.query(statusQuery);
          if (done(state.stage, state.recordedReceipts.length)) return;
          await delay(100);
        }
      };
      const act = async (action: string, body: unknown = {}) => {
        await stack.control('finance', `purchase-orders/usmf/${order.number}/${action}`, body);
        await handle.signal(financePurchaseOrderChangedSignal);
      };
      await until((stage) => stage === 'AwaitingFinanceApproval');
      await act('approve');
      await until((stage) => stage === 'AwaitingReceipt');
      await act('receive', { lines: [{ lineNumber: 1, quantity: 1 }] });
      await until((_stage, receipts) => receipts === 1);
      await act('receive');
      await handle.result();
      const file = join(__dirname, '..', 'workflows', 'histories', 'purchase-order-received.json');
      const json = execFileSync(
        findOrInstallTemporal('cli')!,
        [
          'workflow',
          'show',
          '--workflow-id',
          handle.workflowId,
          '--address',
          env.address,
          '--output',
          'json',
        ],
        { encoding: 'utf8' },
      );
      writeFileSync(file, json);
      console.log(`wrote ${file}`);
    });
  } finally {
    await stack.close();
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
