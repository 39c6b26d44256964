import type { Command } from 'commander';
import { z } from 'zod';
import type { Config } from '../../config/config';
import {
  NoSalesInvoiceSchedule,
  requestSalesInvoiceRecording,
  SALES_INVOICE_SCHEDULE_ID,
} from '../sales-invoice-recording';
import { withClient } from './command-support';

export function registerSalesInvoiceCommands(program: Command, loadConfig: () => Config): void {
  const command = program
    .command('sales-invoice')
    .description('F&O sales invoices recorded in Field Service by the sync-sales-invoices schedule');

  command
    .command('record <numbers...>')
    .description(
      `have the ${SALES_INVOICE_SCHEDULE_ID} schedule record these F&O invoices in Field Service now ` +
        '(they join its retry list; an invoice Field Service has is left as it is)',
    )
    .action(
      withClient(loadConfig, async (client, _config, numbers: string[]) => {
        try {
          const { added, listed } = await requestSalesInvoiceRecording(client, numbers);
          if (added.length > 0) console.log(`${SALES_INVOICE_SCHEDULE_ID} records ${added.join(', ')}.`);
          if (listed.length > 0) {
            console.log(
              `${SALES_INVOICE_SCHEDULE_ID} lists ${listed.join(', ')} already; a run that fails on one says why ` +
                'in its result ("fsfo schedules list" shows the list).',
            );
          }
          console.log(`${SALES_INVOICE_SCHEDULE_ID} runs now, or right after the run in progress.`);
        } catch (err) {
          if (err instanceof z.ZodError) console.error(`Invalid invoice number: ${z.prettifyError(err)}`);
          else if (err instanceof NoSalesInvoiceSchedule) console.error(err.message);
          else throw err;
          process.exitCode = 1;
        }
      }),
    );
}
