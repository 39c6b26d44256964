import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createWorker } from '../../worker/worker';
import { sandboxEnvironment, type Stack } from './stack';

/** A worker a test can start and stop: in this process, or as its own process that SIGKILL ends. */
export interface TestWorker {
  stop(): Promise<void>;
  /** The worker's own process, when it has one. */
  pid?: number;
}

export async function inProcessWorker(
  env: TestWorkflowEnvironment,
  stack: Stack,
  workflowBundle: WorkflowBundleWithSourceMap,
): Promise<TestWorker> {
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: stack.config.temporal.namespace,
    config: stack.config,
    workflowBundle,
  });
  const running = worker.run();
  return {
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}

const ROOT = resolve(__dirname, '..', '..');

/**
 * `worker/main.ts` as a child process (tsx as a loader, so SIGKILL reaches the worker itself); `env` adds
 * variables, e.g. the notification sinks.
 */
export function processWorker(
  stack: Stack,
  workflowBundleFile: string,
  env: NodeJS.ProcessEnv = {},
): TestWorker {
  const { config, sandboxes } = stack;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      TEMPORAL_NAMESPACE: config.temporal.namespace,
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
      ...sandboxEnvironment(sandboxes),
      WORKFLOW_BUNDLE: workflowBundleFile,
      ...env,
    },
  });
  return {
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
