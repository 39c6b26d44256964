import { Command } from 'commander';
import { loadConfigOrExit } from '../config/config';
import { registerDoctorCommand } from './commands/doctor';
import { registerMappingCommands } from './commands/mapping';
import { registerSetupCommand } from './commands/setup';

const program = new Command('fsfo').description(
  'Field Service <-> Finance and Operations integration on Temporal',
);
registerDoctorCommand(program, loadConfigOrExit);
registerSetupCommand(program, loadConfigOrExit);
registerMappingCommands(program);

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
