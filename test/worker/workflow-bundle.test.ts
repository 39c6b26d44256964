import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/config';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { writeWorkflowBundle } from '../../scripts/bundle-workflows';
import { startTracing } from '../../connectors/tracing/sdk';
import { tracedBundlePath } from '../../worker/workflow-bundle';
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

test('a tracing worker runs the traced bundle built beside WORKFLOW_BUNDLE, and its workflow spans leave the sandbox', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'fsfo-bundle-')), 'workflow-bundle.js');
  await writeWorkflowBundle(tracedBundlePath(file), true);
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({
    serviceName: 'fsfo-test',
    spanProcessor: new SimpleSpanProcessor(exporter),
  });
  try {
    const taskQueue = uniqueTaskQueue('bundle-traced');
    const config = loadConfig({ TEMPORAL_TASK_QUEUE: taskQueue, WORKFLOW_BUNDLE: file });
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      config,
      tracing,
    });

    await worker.runUntil(
      env.client.workflow.execute(doctor, { workflowId: `doctor-${taskQueue}`, taskQueue }),
    );

    expect(exporter.getFinishedSpans().map((span) => span.name)).toContain('RunWorkflow:doctor');
  } finally {
    await tracing.shutdown();
  }
});

test('a tracing worker without its traced bundle says what to do', async () => {
  const config = loadConfig({ WORKFLOW_BUNDLE: '/nowhere/workflow-bundle.js' });
  const tracing = startTracing({
    serviceName: 'fsfo-test',
    spanProcessor: new SimpleSpanProcessor(new InMemorySpanExporter()),
  });
  try {
    await expect(
      createWorker({ connection: env.nativeConnection, namespace: 'default', config, tracing }),
    ).rejects.toThrow(
      'The traced bundle of WORKFLOW_BUNDLE, /nowhere/workflow-bundle.traced.js, does not exist: build it with "npm run build" or unset it',
    );
  } finally {
    await tracing.shutdown();
  }
});
