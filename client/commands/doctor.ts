import type { Command } from 'commander';
import type { Config } from '../../config/config';
import { doctor } from '../../workflows';
import { connectClient } from '../connection';

export function registerDoctorCommand(program: Command, loadConfig: () => Config): void {
  program
    .command('doctor')
    .description('check that a worker is polling the task queue and runs activities')
    .option('--timeout <seconds>', 'how long to wait for a worker', '30')
    .action(async (options: { timeout: string }) => {
      const config = loadConfig();
      const client = await connectClient(config);
      try {
        const report = await client.workflow.execute(doctor, {
          workflowId: `doctor-${Date.now()}`,
          taskQueue: config.temporal.taskQueue,
          workflowExecutionTimeout: `${Number(options.timeout)} seconds`,
        });
        console.table(report);
      } finally {
        await client.connection.close();
      }
    });
}
