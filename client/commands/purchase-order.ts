import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Command } from 'commander';
import type { Config } from '../../config/config';
import { purchaseOrderSync } from '../../workflows';
import { retryUpdate, statusQuery } from '../../workflows/purchase-order/messages';
import { Stage } from '../../workflows/purchase-order/stages';
import type { PurchaseOrderState } from '../../workflows/purchase-order/state';
import { IntegrationStage, VendorAccount } from '../../workflows/search-attributes';
import { notifyPurchaseOrder, purchaseOrderWorkflowId, startPurchaseOrder } from '../starters/purchase-order';
import { refusalReporter, stageParser, withClient } from './command-support';

const stages = Object.values(Stage);
const parseStage = stageParser(stages);
const reportRefusal = refusalReporter('purchase order', 'fsfo purchase-order start');

export function describePurchaseOrder(state: PurchaseOrderState): string {
  const lines = [
    `Purchase order ${state.purchaseOrderNumber}${state.vendorAccount ? ` from vendor ${state.vendorAccount}` : ''} (${state.legalEntity})`,
    `  Stage:        ${state.stage}`,
    `  Waiting for:  ${state.waitingFor}`,
  ];
  const order = state.finance;
  if (order) {
    lines.push(
      `  In F&O:       approval ${order.approvalStatus}, order ${order.orderStatus}, ` +
        `${order.lineCount} lines, ${order.totalAmount.toFixed(2)}`,
    );
  }
  if (state.receiptNumbers.length > 0) lines.push(`  Receipts:     ${state.receiptNumbers.join(', ')}`);
  if (state.attention) {
    lines.push(
      `  Attention:    ${state.attention.reason} (in ${state.attention.stage} since ${state.attention.since})`,
    );
  }
  return lines.join('\n');
}

const handleOf = (client: Client, number: string): WorkflowHandle<typeof purchaseOrderSync> =>
  client.workflow.getHandle<typeof purchaseOrderSync>(purchaseOrderWorkflowId(number));

/** `fsfo purchase-order start|status|retry|notify|list`; approval is F&O's, so there is no approve or reject. */
export function registerPurchaseOrderCommands(program: Command, loadConfig: () => Config): void {
  const command = program
    .command('purchase-order')
    .description('start, inspect and retry the workflows of purchase orders');

  command
    .command('start <number>')
    .description("start the order's workflow, or tell the running one that it changed in Field Service")
    .action(
      withClient(loadConfig, async (client, config, number: string) => {
        await reportRefusal(number, async () => {
          const outcome = await startPurchaseOrder(client, config, number);
          console.log(
            outcome === 'already-completed'
              ? `Purchase order ${number} is received or cancelled: its workflow completed, nothing started.`
              : `Purchase order ${number}: workflow ${purchaseOrderWorkflowId(number)} started or signalled.`,
          );
        });
      }),
    );

  command
    .command('status <number>')
    .description('where the order is, what F&O says of it and what the workflow waits for')
    .action(
      withClient(loadConfig, async (client, _config, number: string) => {
        await reportRefusal(number, async () => {
          console.log(describePurchaseOrder(await handleOf(client, number).query(statusQuery)));
        });
      }),
    );

  command
    .command('retry <number>')
    .description('retry the failed step of an order that needs attention, once its data is fixed')
    .option('--by <who>', 'who asks for the retry')
    .action(
      withClient(loadConfig, async (client, _config, number: string, options: { by?: string }) => {
        await reportRefusal(number, async () => {
          const state = await handleOf(client, number).executeUpdate(retryUpdate, {
            args: [{ requestedBy: options.by }],
          });
          console.log(`Retrying purchase order ${number}: ${state.stage} runs again.`);
        });
      }),
    );

  command
    .command('notify <number>')
    .description(
      'tell the running workflow that the order changed in Field Service and in F&O, as the watchers do (starts none)',
    )
    .action(
      withClient(loadConfig, async (client, _config, number: string) => {
        await reportRefusal(number, async () => {
          if ((await notifyPurchaseOrder(client, number)) === 'no-workflow') {
            console.error(`Purchase order ${number} has no running workflow: nothing sent.`);
            process.exitCode = 1;
          } else console.log(`Purchase order ${number}: its workflow reads Field Service and F&O again.`);
        });
      }),
    );

  command
    .command('list')
    .description('the purchase orders in one stage (Temporal visibility, updated within seconds)')
    .requiredOption('--stage <stage>', `one of ${stages.join(', ')}`, parseStage)
    .action(
      withClient(loadConfig, async (client, _config, options: { stage: Stage }) => {
        const query = `WorkflowType = "${purchaseOrderSync.name}" AND ${IntegrationStage.name} = "${options.stage}"`;
        let count = 0;
        for await (const execution of client.workflow.list({ query })) {
          const vendor = execution.typedSearchAttributes.get(VendorAccount) ?? '-';
          console.log(
            `${execution.workflowId.replace(/^purchase-order-/, '')}  vendor ${vendor}  ` +
              `since ${execution.startTime.toISOString()}`,
          );
          count++;
        }
        console.log(`${count} purchase order${count === 1 ? '' : 's'} in ${options.stage}`);
      }),
    );
}
