import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { loadConfig } from '../../config/config';
import { DEFAULT_WORKER_SETTINGS } from '../../config/worker';
import { createWorker } from '../../worker/worker';
import { bundleWorkflows, connectToTestServer, uniqueTaskQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
});

afterAll(() => env?.teardown());

/** What bounds the worker's memory, as the SDK compiled it from the worker's options. */
async function memoryBounds(variables: NodeJS.ProcessEnv) {
  const config = loadConfig({ ...variables, TEMPORAL_TASK_QUEUE: uniqueTaskQueue('worker-options') });
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    config,
    workflowBundle,
  });
  const { maxCachedWorkflows, tuner } = worker.options;
  await worker.runUntil(Promise.resolve());
  const slots = (supplier: (typeof tuner)['workflowTaskSlotSupplier']) =>
    supplier.type === 'fixed-size' ? supplier.numSlots : supplier.type;
  return {
    maxCachedWorkflows,
    workflowTaskSlots: slots(tuner.workflowTaskSlotSupplier),
    activitySlots: slots(tuner.activityTaskSlotSupplier),
  };
}

test('the worker caches and runs at once what the configuration says, by default the documented defaults', async () => {
  expect(await memoryBounds({})).toEqual({
    maxCachedWorkflows: DEFAULT_WORKER_SETTINGS.maxCachedWorkflows,
    workflowTaskSlots: DEFAULT_WORKER_SETTINGS.maxConcurrentWorkflowTasks,
    activitySlots: DEFAULT_WORKER_SETTINGS.maxConcurrentActivities,
  });
  expect(
    await memoryBounds({
      WORKER_MAX_CACHED_WORKFLOWS: '7',
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '3',
      WORKER_MAX_CONCURRENT_ACTIVITIES: '5',
    }),
  ).toEqual({ maxCachedWorkflows: 7, workflowTaskSlots: 3, activitySlots: 5 });
});
