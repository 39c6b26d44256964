import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig } from '../../config/config';
import { createWorker } from '../../worker/worker';
import { doctor } from '../../workflows';
import { LegalEntity } from '../../workflows/search-attributes';
import { bundleWorkflows, connectToTestServer, uniqueTaskQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
});

afterAll(() => env?.teardown());

test('a worker runs the doctor workflow and its activity; operators find it by search attribute', async () => {
  const taskQueue = uniqueTaskQueue('doctor');
  const config = loadConfig({ TEMPORAL_TASK_QUEUE: taskQueue, FNO_COMPANY: 'USRT' });
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    config,
    workflowBundle,
  });
  const workflowId = `doctor-${taskQueue}`;

  const report = await worker.runUntil(env.client.workflow.execute(doctor, { workflowId, taskQueue }));

  expect(report).toMatchObject({ taskQueue, legalEntity: 'usrt', mappingProject: 'standard' });
  expect(report.worker).toMatch(/^\d+@/);

  const described = await env.client.workflow.getHandle(workflowId).describe();
  expect(described.typedSearchAttributes.get(LegalEntity)).toBe('usrt');

  // Visibility is eventually consistent: poll the List Filter until the record shows up.
  const query = `WorkflowId = "${workflowId}" AND LegalEntity = "usrt" AND ExecutionStatus = "Completed"`;
  let found: string[] = [];
  for (let attempt = 0; attempt < 50 && found.length === 0; attempt++) {
    found = [];
    for await (const wf of env.client.workflow.list({ query })) found.push(wf.workflowId);
    if (found.length === 0) await delay(200);
  }
  expect(found).toEqual([workflowId]);
});
