import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { Resource } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { tracedWorkflowBundleOptions, workflowBundleOptions } from '../../worker/workflow-bundle';

// Saved histories of real runs (test/workflows/record-histories.ts) replayed against today's workflow
// code: a change that would break the workflows already running in production fails here.
const dir = join(__dirname, 'histories');
const histories = readdirSync(dir).filter((file) => file.endsWith('.json'));

test('there are histories to replay', () => {
  expect(histories).toEqual([
    'agreement-invoice-posted.json',
    'purchase-order-received.json',
    'work-order-canceled-awaiting-approval.json',
    'work-order-happy-path.json',
    'work-order-reject-then-approve.json',
  ]);
});

test.each(histories)('%s replays without nondeterminism', async (file) => {
  const history = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  await Worker.runReplayHistory(
    {
      workflowsPath: workflowBundleOptions.workflowsPath,
      bundlerOptions: { preloadModules: workflowBundleOptions.preloadModules },
    },
    history,
    `replay-${file}`,
  );
});

// Tracing is switched on by configuration: a worker that starts tracing replays what an untraced one wrote.
test.each(histories)('%s replays with the OpenTelemetry workflow interceptors', async (file) => {
  const history = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const spans = new SimpleSpanProcessor(new InMemorySpanExporter());
  await Worker.runReplayHistory(
    {
      workflowsPath: tracedWorkflowBundleOptions.workflowsPath,
      bundlerOptions: { preloadModules: tracedWorkflowBundleOptions.preloadModules },
      interceptors: { workflowModules: tracedWorkflowBundleOptions.workflowInterceptorModules },
      sinks: { exporter: makeWorkflowExporter(spans, new Resource({ 'service.name': 'replay' })) },
    },
    history,
    `replay-traced-${file}`,
  );
});
