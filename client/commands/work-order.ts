import type { Client, WorkflowHandle } from '@temporalio/client';
import { type Command, InvalidArgumentError } from 'commander';
import type { Config } from '../../config/config';
import { workOrderInvoicing } from '../../workflows';
import { IntegrationStage, SalesOrderNumber, CustomerAccount } from '../../workflows/search-attributes';
import * as messages from '../../workflows/work-order/messages';
import { Stage } from '../../workflows/work-order/stages';
import type { WorkOrderState } from '../../workflows/work-order/state';
import { backfillWorkOrders } from '../work-order-backfill';
import { startWorkOrder, workOrderWorkflowId } from '../starters/work-order';
import {
  decisionLines,
  refusalReporter,
  registerDecisionCommands,
  stageParser,
  withClient,
} from './command-support';
import { backfillCounts, reportBackfill } from './work-order-backfill-progress';
import { registerWorkOrderPreviewCommand } from './work-order-preview';
import { registerWorkOrderRepairCommands } from './work-order-repairs';

type WorkOrderHandle = WorkflowHandle<typeof workOrderInvoicing>;

const stages = Object.values(Stage);
const ALL_STAGES = 'all';
const parseStage = stageParser(stages);
const parseListedStage = (value: string) => (value === ALL_STAGES ? ALL_STAGES : parseStage(value));
const reportRefusal = refusalReporter('work order', 'fsfo work-order start');

function parseDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('expected a date such as 2026-11-01');
  return date;
}

function describeWorkOrder(state: WorkOrderState): string {
  const lines = [
    `Work order ${state.workOrderNumber} (${state.legalEntity})`,
    `  Stage:        ${state.stage}`,
    `  Waiting for:  ${state.waitingFor}`,
  ];
  const order = state.salesOrder;
  if (order) {
    lines.push(
      `  Sales order:  ${order.salesOrderNumber} for ${order.customerAccount}, ` +
        `${order.totalAmount.toFixed(2)} ${order.currency}, ${order.lineCount} lines`,
    );
  }
  lines.push(...decisionLines(state));
  if (state.attention) {
    lines.push(
      `  Attention:    ${state.attention.reason} (in ${state.attention.stage} since ${state.attention.since})`,
    );
  }
  if (state.cancellation) {
    lines.push(`  Cancelled:    ${state.cancellation.outcome} (seen ${state.cancellation.seenAt})`);
  }
  if (state.invoice) {
    lines.push(
      `  Invoice:      ${state.invoice.invoiceNumber} of ${state.invoice.invoiceDate}, ` +
        `${state.invoice.totalAmount.toFixed(2)} ${state.invoice.currency}`,
    );
  }
  return lines.join('\n');
}

const handleOf = (client: Client, workOrderNumber: string): WorkOrderHandle =>
  client.workflow.getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(workOrderNumber));

export function registerWorkOrderCommands(program: Command, loadConfig: () => Config): void {
  const workOrder = program
    .command('work-order')
    .description('start, inspect, approve, reject and retry the workflows of work orders');

  workOrder
    .command('start <number>')
    .description("start the work order's workflow, or tell the running one that it changed")
    .action(
      withClient(loadConfig, async (client, config, number: string) => {
        await reportRefusal(number, async () => {
          const outcome = await startWorkOrder(client, config, number);
          console.log(
            outcome === 'already-completed'
              ? `Work order ${number} is already invoiced: its workflow completed, nothing started.`
              : `Work order ${number}: workflow ${workOrderWorkflowId(number)} started or signalled.`,
          );
        });
      }),
    );

  registerDecisionCommands(workOrder, loadConfig, handleOf, messages, reportRefusal, {
    describe: describeWorkOrder,
    descriptions: {
      status: 'where the work order is and what it waits for',
      approve: 'approve invoicing of a work order waiting for approval',
      reject: 'send a work order waiting for approval back to the technician',
      rejectReason: 'what the technician must change',
      retry: 'retry the failed step of a work order that needs attention, once its data is fixed',
    },
    approved: (number, by) =>
      `Approved invoicing of work order ${number} by ${by}: the workflow closes ` +
      'the work order and waits for the F&O invoice ("fsfo work-order status" follows it).',
    rejected: (number, reason) =>
      `Rejected invoicing of work order ${number}: it goes back to the technician with the reason "${reason}".`,
    retrying: (number, state) => `Retrying work order ${number}: ${state.stage} runs again.`,
    completed: (number, state) =>
      state.invoice
        ? `Work order ${number} is already invoiced (invoice ${state.invoice.invoiceNumber} of ` +
          `${state.invoice.invoiceDate}, ${state.invoice.totalAmount.toFixed(2)} ${state.invoice.currency}): ` +
          'its workflow has completed, there is nothing to decide ("fsfo work-order status" shows it).'
        : `Work order ${number} is ${state.stage}: its workflow has completed, there is nothing to decide.`,
  });

  registerWorkOrderRepairCommands(workOrder, loadConfig, reportRefusal);
  registerWorkOrderPreviewCommand(workOrder, loadConfig);

  workOrder
    .command('list')
    .description('the work orders in one stage, or in all (Temporal visibility, updated within seconds)')
    .option('--stage <stage>', `one of ${stages.join(', ')}, or all`, parseListedStage, ALL_STAGES)
    .action(
      withClient(loadConfig, async (client, _config, options: { stage: Stage | typeof ALL_STAGES }) => {
        const all = options.stage === ALL_STAGES;
        const query =
          `WorkflowType = "${workOrderInvoicing.name}"` +
          (all ? '' : ` AND ${IntegrationStage.name} = "${options.stage}"`);
        let count = 0;
        for await (const execution of client.workflow.list({ query })) {
          const attributes = execution.typedSearchAttributes;
          const salesOrder = attributes.get(SalesOrderNumber) ?? '-';
          const customer = attributes.get(CustomerAccount) ?? '-';
          const stage = all ? `${attributes.get(IntegrationStage) ?? '-'}  ` : '';
          console.log(
            `${execution.workflowId.replace(/^work-order-/, '')}  sales order ${salesOrder}  customer ${customer}  ` +
              `${stage}since ${execution.startTime.toISOString()}`,
          );
          count++;
        }
        console.log(`${count} work order${count === 1 ? '' : 's'} in ${all ? 'all stages' : options.stage}`);
      }),
    );

  workOrder
    .command('backfill')
    .description('start the workflows of every selected work order changed in Field Service since a date')
    .requiredOption('--since <date>', 'e.g. 2026-11-01', parseDate)
    .action(
      withClient(loadConfig, async (client, config, options: { since: Date }) => {
        const progress = await backfillWorkOrders(client, config, options.since, reportBackfill);
        console.log(`Backfill since ${options.since.toISOString()}: ${backfillCounts(progress)}`);
        if (progress.failed > 0) process.exitCode = 1;
      }),
    );
}
