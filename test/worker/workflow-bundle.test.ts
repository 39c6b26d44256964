import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/config';
import { writeWorkflowBundle } from '../../scripts/bundle-workflows';
import { createWorker } from '../../worker/worker';
import { doctor } from '../../workflows';
import { connectToTestServer, uniqueTaskQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await connectToTestServer();
});
afterAll(() => env?.teardown());

test('a worker runs workflows from the bundle built at build time (WORKFLOW_BUNDLE)', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'fsfo-bundle-')), 'workflow-bundle.js');
  await writeWorkflowBundle(file);
  const taskQueue = uniqueTaskQueue('bundle');
  const config = loadConfig({ TEMPORAL_TASK_QUEUE: taskQueue, WORKFLOW_BUNDLE: file });
  const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', config });

  const report = await worker.runUntil(
    env.client.workflow.execute(doctor, { workflowId: `doctor-${taskQueue}`, taskQueue }),
  );

  expect(report).toMatchObject({ taskQueue });
});

test('a WORKFLOW_BUNDLE that does not exist stops the worker with what to do', async () => {
  const config = loadConfig({ WORKFLOW_BUNDLE: '/nowhere/workflow-bundle.js' });
  await expect(
    createWorker({ connection: env.nativeConnection, namespace: 'default', config }),
  ).rejects.toThrow(
    'WORKFLOW_BUNDLE /nowhere/workflow-bundle.js does not exist: build it with "npm run build" or unset it',
  );
});
