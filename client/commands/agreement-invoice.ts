import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Command } from 'commander';
import type { Config } from '../../config/config';
import { agreementInvoicing } from '../../workflows';
import * as messages from '../../workflows/agreement-invoice/messages';
import { Stage } from '../../workflows/agreement-invoice/stages';
import type { AgreementInvoiceState } from '../../workflows/agreement-invoice/state';
import { AgreementNumber, IntegrationStage } from '../../workflows/search-attributes';
import { signalFreeTextInvoicePosted } from '../agreement-invoice-repairs';
import { agreementInvoiceWorkflowId, startAgreementInvoice } from '../starters/agreement-invoice';
import { registerAgreementInvoicePreviewCommand } from './agreement-invoice-preview';
import {
  decisionLines,
  refusalReporter,
  registerDecisionCommands,
  stageParser,
  withClient,
} from './command-support';

type AgreementInvoiceHandle = WorkflowHandle<typeof agreementInvoicing>;

const stages = Object.values(Stage);
const parseStage = stageParser(stages);
const reportRefusal = refusalReporter('invoice', 'fsfo agreement-invoice start');

function describeAgreementInvoice(state: AgreementInvoiceState): string {
  const lines = [
    `Invoice ${state.invoiceNumber}${state.agreementNumber ? ` of agreement ${state.agreementNumber}` : ''} (${state.legalEntity})`,
    `  Stage:        ${state.stage}`,
    `  Waiting for:  ${state.waitingFor}`,
  ];
  const invoice = state.freeTextInvoice;
  if (invoice) {
    lines.push(
      `  Free text:    ${invoice.externalInvoiceId} for ${invoice.customerAccount} of ${invoice.invoiceDate}, ` +
        `${invoice.totalAmount.toFixed(2)} ${invoice.currency}, ${invoice.lineCount} lines` +
        (invoice.postedAs ? `, posted as ${invoice.postedAs}` : ', not posted'),
    );
  }
  lines.push(...decisionLines(state));
  if (state.attention) {
    lines.push(
      `  Attention:    ${state.attention.reason} (in ${state.attention.stage} since ${state.attention.since})`,
    );
  }
  return lines.join('\n');
}

const handleOf = (client: Client, invoiceNumber: string): AgreementInvoiceHandle =>
  client.workflow.getHandle<typeof agreementInvoicing>(agreementInvoiceWorkflowId(invoiceNumber));

export function registerAgreementInvoiceCommands(program: Command, loadConfig: () => Config): void {
  const command = program
    .command('agreement-invoice')
    .description('start, inspect, approve, reject and retry the workflows of agreement invoices');

  command
    .command('start <number>')
    .description("start the invoice's workflow, or tell the running one that it changed")
    .action(
      withClient(loadConfig, async (client, config, number: string) => {
        await reportRefusal(number, async () => {
          const outcome = await startAgreementInvoice(client, config, number);
          console.log(
            outcome === 'already-completed'
              ? `Invoice ${number} is already posted in F&O and recorded: its workflow completed, nothing started.`
              : `Invoice ${number}: workflow ${agreementInvoiceWorkflowId(number)} started or signalled.`,
          );
        });
      }),
    );

  command
    .command('posted <number>')
    .description(
      'tell the waiting workflow that F&O may have posted its free text invoice, as the free text invoice watcher does',
    )
    .action(
      withClient(loadConfig, async (client, _config, number: string) => {
        await reportRefusal(number, async () => {
          await signalFreeTextInvoicePosted(client, number);
          console.log(`Invoice ${number}: its workflow asks F&O for the posting and records it.`);
        });
      }),
    );

  registerDecisionCommands(command, loadConfig, handleOf, messages, reportRefusal, {
    describe: describeAgreementInvoice,
    descriptions: {
      status: 'where the invoice is and what it waits for',
      approve: 'approve the free text invoice of an invoice waiting for approval',
      reject: 'reject an invoice waiting for approval until it changes in Field Service',
      rejectReason: 'what must change in Field Service',
      retry: 'retry the failed step of an invoice that needs attention, once its data is fixed',
    },
    approved: (number, by) =>
      `Approved invoice ${number} by ${by}: the workflow waits for F&O to post ` +
      'its free text invoice ("fsfo agreement-invoice status" follows it).',
    rejected: (number, reason) =>
      `Rejected invoice ${number} with the reason "${reason}": the workflow waits for it to change in Field Service.`,
    retrying: (number, state) => `Retrying invoice ${number}: ${state.stage} runs again.`,
    completed: (number, state) =>
      `Invoice ${number} is ${state.stage}: its workflow has completed, there is nothing to decide.`,
  });

  registerAgreementInvoicePreviewCommand(command, loadConfig);

  command
    .command('list')
    .description('the agreement invoices in one stage (Temporal visibility, updated within seconds)')
    .requiredOption('--stage <stage>', `one of ${stages.join(', ')}`, parseStage)
    .action(
      withClient(loadConfig, async (client, _config, options: { stage: Stage }) => {
        const query = `WorkflowType = "${agreementInvoicing.name}" AND ${IntegrationStage.name} = "${options.stage}"`;
        let count = 0;
        for await (const execution of client.workflow.list({ query })) {
          const agreement = execution.typedSearchAttributes.get(AgreementNumber) ?? '-';
          console.log(
            `${execution.workflowId.replace(/^agreement-invoice-/, '')}  agreement ${agreement}  ` +
              `since ${execution.startTime.toISOString()}`,
          );
          count++;
        }
        console.log(`${count} agreement invoice${count === 1 ? '' : 's'} in ${options.stage}`);
      }),
    );
}
