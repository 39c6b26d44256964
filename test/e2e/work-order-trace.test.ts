import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { clientInterceptors } from '../../client/tracing';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { startTracing, type Tracing } from '../../connectors/tracing/sdk';
import { createWorker } from '../../worker/worker';
import { tracedWorkflowBundleOptions } from '../../worker/workflow-bundle';
import type { workOrderInvoicing } from '../../workflows';
import { invoicePostedSignal } from '../../workflows/work-order/messages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { connectToTestServer } from '../support/temporal';
import { waitForStage } from '../support/work-order-stage';

// One work order followed across client, workflow, activities and Dynamics 365 in one trace.
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let tracing: Tracing;
const exporter = new InMemorySpanExporter();
let stopWorker: (() => Promise<void>) | undefined;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflowCode({
    ...tracedWorkflowBundleOptions,
    logger: new DefaultLogger('WARN'),
  });
  stack = await startStack(
    'e2e-work-order-trace',
    {},
    // The collector is never reached: the test installs the SDK with an in-memory exporter itself.
    { APPROVAL_POLICY: 'never', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
  );
  tracing = startTracing({ serviceName: 'fsfo-test', spanProcessor: new SimpleSpanProcessor(exporter) });
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: stack.config.temporal.namespace,
    config: stack.config,
    workflowBundle,
    tracing,
  });
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
  };
});
afterAll(async () => {
  await stopWorker?.();
  await tracing?.shutdown();
  await stack?.close();
  await env?.teardown();
});

/** The one span named `name` whose parent is `parent`. */
function childOf(spans: ReadableSpan[], parent: ReadableSpan, name: string): ReadableSpan {
  const children = spans.filter(
    (span) => span.name === name && span.parentSpanId === parent.spanContext().spanId,
  );
  expect(children.map((span) => span.name)).toEqual([name]);
  return children[0]!;
}

test('one trace from the client through the workflow and its activities to the F&O $batch that writes the sales order', async () => {
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    products: [{ product: 'P-1000', used: true, estimate: 2, quantity: 2, price: 25 }],
  });
  const client = new Client({
    connection: env.connection,
    namespace: stack.config.temporal.namespace,
    interceptors: clientInterceptors(stack.config.tracing),
  });
  await startWorkOrder(client, stack.config, number);
  const handle = client.workflow.getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(number));
  await waitForStage(handle, 'AwaitingInvoice');
  const posted = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
  const { InvoiceNumber } = (await posted.json()) as { InvoiceNumber: string };
  await handle.signal(invoicePostedSignal, { invoiceNumber: InvoiceNumber, legalEntity: 'usmf' });
  await handle.result(); // the workflow's span ends with it

  // The sales order the traced requests wrote.
  const { value: orders } = await stack.finance<{ value: { SalesOrderNumber: string }[] }>(
    `SalesOrderHeadersV2?$filter=SalesOrderNumber eq '${number}'`,
  );
  expect(orders.map((order) => order.SalesOrderNumber)).toEqual([number]);

  const spans = exporter.getFinishedSpans();
  const start = spans.find((span) => span.name === 'SignalWithStartWorkflow:workOrderInvoicing');
  expect(start).toBeDefined();
  expect(start!.parentSpanId).toBeUndefined();
  const traceId = start!.spanContext().traceId;
  const trace = spans.filter((span) => span.spanContext().traceId === traceId);

  const run = childOf(trace, start!, 'RunWorkflow:workOrderInvoicing');
  const scheduled = trace.filter(
    (span) => span.name === 'StartActivity:syncSalesOrder' && span.parentSpanId === run.spanContext().spanId,
  );
  expect(scheduled.length).toBeGreaterThanOrEqual(1); // the sync, and the one after approval
  const firstSync = scheduled.sort(
    (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
  )[0]!;
  const activity = childOf(trace, firstSync, 'RunActivity:syncSalesOrder');
  expect(activity.attributes).toMatchObject({ temporalWorkflowId: workOrderWorkflowId(number) });

  const requests = trace.filter((span) => span.parentSpanId === activity.spanContext().spanId);
  const batches = requests.filter((span) => span.name === 'D365 POST $batch');
  // The reads by key, then the change set that writes header and line (three requests to the sales order).
  expect(batches.length).toBeGreaterThanOrEqual(2);
  for (const batch of batches) {
    expect(batch.attributes).toEqual({
      'd365.service': 'finance',
      'd365.entity_set': '$batch',
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
      ...(batch.attributes['d365.request_id'] === undefined
        ? {}
        : { 'd365.request_id': batch.attributes['d365.request_id'] }),
    });
  }
  expect(requests.map((span) => span.name)).toContain('D365 GET msdyn_workorders');

  // Every span of the run is in this one trace, and none carries a secret.
  const secrets = [stack.sandboxes.app.clientSecret, 'Bearer', 'authorization', 'eyJ'];
  for (const span of trace) {
    for (const value of Object.values(span.attributes)) {
      for (const secret of secrets) expect(String(value)).not.toContain(secret);
    }
  }
  expect(new Set(trace.map((span) => span.resource.attributes['service.name']))).toEqual(
    new Set(['fsfo-test']),
  );
});
