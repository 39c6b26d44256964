/**
 * `npm start`: the whole system on one machine. Starts (or reuses) a Temporal server, then the
 * worker, waits until the worker polls, checks the stack end to end, and says what to do next.
 * Ctrl-C (or SIGTERM) stops every child process.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { registerSearchAttributes } from '../client/search-attributes';
import { loadConfigOrExit } from '../config/config';
import { temporalConnection } from '../config/temporal';
import { doctor } from '../workflows';
import { runTsChild, stopChild } from './child-process';
import { startDevServer } from './dev-server';

const ROOT = resolve(__dirname, '..');
const DATA_DIR = resolve(process.env.FSFO_DATA_DIR ?? join(ROOT, '.data'));
const UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);

const children: ChildProcess[] = [];
let devServer: TestWorkflowEnvironment | undefined;
let stopping = false;

async function reachable(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: '2s' });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

async function waitForWorker(client: Client, taskQueue: string): Promise<void> {
  for (;;) {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if (pollers.length > 0) return;
    await delay(500);
  }
}

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nStopping ...');
    await Promise.all(children.map((child) => stopChild(child)));
    await devServer?.teardown();
  }
  process.exit(code);
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const { connectionOptions, namespace } = temporalConnection(config);
  let address = connectionOptions.address;
  let webUrl = 'the Web UI of your Temporal server';

  if (await reachable(address)) {
    console.log(`Using the Temporal server at ${address}`);
  } else {
    const [host, port] = address.split(':');
    if (!['localhost', '127.0.0.1'].includes(host ?? '')) {
      throw new Error(`No Temporal server answers at ${address}; fix TEMPORAL_ADDRESS or unset it`);
    }
    mkdirSync(join(DATA_DIR, 'temporal'), { recursive: true });
    console.log(`Starting the Temporal dev server on ${address} (data in ${join(DATA_DIR, 'temporal')}) ...`);
    devServer = await startDevServer({
      port: Number(port),
      uiPort: UI_PORT,
      dbFilename: join(DATA_DIR, 'temporal', 'temporal.sqlite'),
    });
    address = devServer.address;
    webUrl = `http://localhost:${UI_PORT}`;
  }

  const connection = await Connection.connect({ ...connectionOptions, address });
  const client = new Client({ connection, namespace });
  await registerSearchAttributes(client);

  const childEnv = { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace };
  const worker = runTsChild(join(ROOT, 'worker', 'main.ts'), childEnv);
  children.push(worker);
  worker.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`The worker stopped unexpectedly (${signal ?? `exit code ${code}`}).`);
    void shutdown(1);
  });

  await waitForWorker(client, config.temporal.taskQueue);
  const report = await client.workflow.execute(doctor, {
    workflowId: `doctor-start-${Date.now()}`,
    taskQueue: config.temporal.taskQueue,
    workflowExecutionTimeout: '1 minute',
  });
  await connection.close();

  console.log(`
The stack is up: worker ${report.worker} polls task queue "${report.taskQueue}" on ${address}.

  Temporal Web      ${webUrl}
  Field Service     ${config.fieldService.url}
  Finance and Ops   ${config.finance.url} (legal entity ${config.finance.company})

Next:
  npx fsfo doctor                       check the stack end to end again
  temporal workflow list --address ${address}
  npm test                              run the test suite (it starts its own Temporal server)

Press Ctrl-C to stop everything.`);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  await shutdown(1);
});
