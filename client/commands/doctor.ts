import { WorkflowFailedError } from '@temporalio/client';
import { TimeoutFailure } from '@temporalio/common';
import type { Command } from 'commander';
import type { Config } from '../../config/config';
import { temporalConnection } from '../../config/temporal';
import { doctor } from '../../workflows';
import { connectClient } from '../connection';

export function registerDoctorCommand(program: Command, loadConfig: () => Config): void {
  program
    .command('doctor')
    .description('check that a worker is polling the task queue and runs activities')
    .option('--timeout <seconds>', 'how long to wait for a worker', '30')
    .action(async (options: { timeout: string }) => {
      const config = loadConfig();
      const { connectionOptions, namespace } = temporalConnection(config);
      const where = `task queue "${config.temporal.taskQueue}" of namespace "${namespace}" on ${connectionOptions.address}`;
      const client = await connectClient(config);
      try {
        const report = await client.workflow.execute(doctor, {
          workflowId: `doctor-${Date.now()}`,
          taskQueue: config.temporal.taskQueue,
          workflowExecutionTimeout: `${Number(options.timeout)} seconds`,
        });
        console.table(report);
      } catch (err) {
        if (!(err instanceof WorkflowFailedError && err.cause instanceof TimeoutFailure)) throw err;
        console.error(
          `No worker answered on ${where} within ${Number(options.timeout)} s: start one ` +
            '(npm run worker, or npm start), or point TEMPORAL_TASK_QUEUE, TEMPORAL_NAMESPACE and ' +
            "TEMPORAL_ADDRESS at the worker's.",
        );
        process.exitCode = 1;
      } finally {
        await client.connection.close();
      }
    });
}
