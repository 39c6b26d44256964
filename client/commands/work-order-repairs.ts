import type { Command } from 'commander';
import type { Config } from '../../config/config';
import {
  invoiceRecordingWorkflowId,
  resyncWorkOrder,
  signalWorkOrderInvoicePosted,
  startInvoiceRecording,
} from '../work-order-repairs';
import { signalWorkOrderCanceled } from '../starters/work-order';
import { withClient } from './command-support';

type ReportRefusal = (number: string, action: () => Promise<void>) => Promise<void>;

/** The commands reconcile names as fixes: each starts or signals a workflow, none writes to Dynamics 365. */
export function registerWorkOrderRepairCommands(
  workOrder: Command,
  loadConfig: () => Config,
  reportRefusal: ReportRefusal,
): void {
  workOrder
    .command('resync <number>')
    .description(
      'a work order awaiting approval writes its F&O sales order again (e.g. after F&O changed it)',
    )
    .action(
      withClient(loadConfig, async (client, _config, number: string) => {
        await reportRefusal(number, async () => {
          await resyncWorkOrder(client, number);
          console.log(
            `Work order ${number}: its workflow writes the F&O sales order again, then asks for approval.`,
          );
        });
      }),
    );

  workOrder
    .command('notify <number>')
    .description('tell the running workflow that the work order changed in Field Service (starts none)')
    .action(
      withClient(loadConfig, async (client, _config, number: string) => {
        await reportRefusal(number, async () => {
          const outcome = await signalWorkOrderCanceled(client, number);
          if (outcome === 'no-workflow') {
            console.error(`Work order ${number} has no running workflow: nothing sent.`);
            process.exitCode = 1;
          } else console.log(`Work order ${number}: its workflow reads the work order again.`);
        });
      }),
    );

  workOrder
    .command('invoice-posted <number>')
    .description('tell the waiting workflow that F&O posted its invoice, as the invoice watcher does')
    .requiredOption('--invoice <invoice>', 'the F&O invoice number, e.g. CIV-000123')
    .option('--legal-entity <id>', 'the legal entity the invoice was posted in (default: FNO_COMPANY)')
    .action(
      withClient(
        loadConfig,
        async (client, config, number: string, options: { invoice: string; legalEntity?: string }) => {
          await reportRefusal(number, async () => {
            await signalWorkOrderInvoicePosted(client, {
              workOrderNumber: number,
              invoiceNumber: options.invoice,
              legalEntity: options.legalEntity ?? config.finance.company,
            });
            console.log(`Work order ${number}: its workflow records invoice ${options.invoice}.`);
          });
        },
      ),
    );

  workOrder
    .command('record-invoice <number>')
    .description("record the work order's posted F&O invoice in Field Service when no running workflow does")
    .option('--sales-order <number>', 'its F&O sales order (default: the work order number)')
    .option('--legal-entity <id>', 'the legal entity of the sales order (default: FNO_COMPANY)')
    .action(
      withClient(
        loadConfig,
        async (client, config, number: string, options: { salesOrder?: string; legalEntity?: string }) => {
          await reportRefusal(number, async () => {
            const outcome = await startInvoiceRecording(client, config, {
              workOrderNumber: number,
              salesOrderNumber: options.salesOrder ?? number,
              legalEntity: options.legalEntity ?? config.finance.company,
            });
            if (outcome === 'workflow-running') {
              console.error(
                `Work order ${number}: its workflow is running and records the invoice itself ` +
                  `(fsfo work-order invoice-posted tells it that F&O posted one).`,
              );
              process.exitCode = 1;
            } else {
              console.log(
                `Work order ${number}: workflow ${invoiceRecordingWorkflowId(number)} records its invoice.`,
              );
            }
          });
        },
      ),
    );
}
