import { Command } from 'commander';
import { registerDoctorCommand } from '../../client/commands/doctor';
import { loadConfig } from '../../config/config';
import { uniqueTaskQueue } from '../support/temporal';

test('doctor with no worker on the task queue names the queue and the address it tried, and exits 1', async () => {
  const taskQueue = uniqueTaskQueue('doctor-no-worker');
  const address = process.env.TEMPORAL_TEST_ADDRESS!;
  const config = loadConfig({
    FS_URL: 'https://contoso.crm.dynamics.com/',
    FNO_URL: 'https://contoso.operations.dynamics.com',
    AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
    AZURE_CLIENT_ID: '6f1c1d64-3a52-4c8e-9d0f-2b8f6a4e7c11',
    AZURE_CLIENT_SECRET: 'not-used',
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
  });
  const program = new Command('fsfo').exitOverride();
  registerDoctorCommand(program, () => config);
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await program.parseAsync(['doctor', '--timeout', '1'], { from: 'user' });
    expect(error.mock.calls.map((call) => call.join(' '))).toEqual([
      `No worker answered on task queue "${taskQueue}" of namespace "default" on ${address} within 1 s: ` +
        'start one (npm run worker, or npm start), or point TEMPORAL_TASK_QUEUE, TEMPORAL_NAMESPACE and ' +
        "TEMPORAL_ADDRESS at the worker's.",
    ]);
    expect(process.exitCode).toBe(1);
  } finally {
    error.mockRestore();
    process.exitCode = undefined;
  }
});
