#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfigOrExit, loadTracingConfigOrExit } from '../config/config';
import { StartupFailure } from '../config/startup/wait-for-service';
import { startConfiguredTracing } from '../connectors/tracing/sdk';
import { registerAgreementInvoiceCommands } from './commands/agreement-invoice';
import { registerDoctorCommand } from './commands/doctor';
import { registerInventoryCommands } from './commands/inventory';
import { registerMappingCommands } from './commands/mapping';
import { registerPurchaseOrderCommands } from './commands/purchase-order';
import { registerReconcileCommand } from './commands/reconcile';
import { registerSalesInvoiceCommands } from './commands/sales-invoice';
import { registerSchedulesCommands } from './commands/schedules';
import { registerSetupCommand } from './commands/setup';
import { registerWebhookCommands } from './commands/webhook';
import { registerWorkOrderCommands } from './commands/work-order';

const program = new Command('fsfo').description(
  'Field Service <-> Finance and Operations integration on Temporal',
);
registerDoctorCommand(program, loadConfigOrExit);
registerSetupCommand(program, loadConfigOrExit);
registerMappingCommands(program);
registerWorkOrderCommands(program, loadConfigOrExit);
registerAgreementInvoiceCommands(program, loadConfigOrExit);
registerSalesInvoiceCommands(program, loadConfigOrExit);
registerInventoryCommands(program, loadConfigOrExit);
registerPurchaseOrderCommands(program, loadConfigOrExit);
registerSchedulesCommands(program, loadConfigOrExit);
registerReconcileCommand(program, loadConfigOrExit);
registerWebhookCommands(program, loadConfigOrExit);

const tracing = startConfiguredTracing(loadTracingConfigOrExit(), 'fsfo-cli');
program.parseAsync().then(
  () => tracing?.shutdown(),
  async (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    await tracing?.shutdown();
    process.exit(err instanceof StartupFailure ? err.exitCode : 1);
  },
);
