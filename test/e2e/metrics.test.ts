import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { writeWorkflowBundle } from '../../scripts/bundle-workflows';
import { D365_REQUEST_METRICS } from '../../worker/metrics/d365-request-metrics';
import { WAITING_WORKFLOWS_METRIC } from '../../worker/metrics/waiting-workflows-gauge';
import type { workOrderInvoicing } from '../../workflows';
import { WORKFLOW_METRICS } from '../../workflows/metrics';
import { approveInvoicingUpdate, invoicePostedSignal } from '../../workflows/work-order/messages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { freePort } from '../support/ports';
import { type Sample, scrapeUntil, total } from '../support/prometheus';
import { startStack, type Stack } from '../support/stack';
import { connectToTestServer } from '../support/temporal';
import { waitForStage, type WorkOrderHandle } from '../support/work-order-stage';
import { processWorker, type TestWorker } from '../support/workers';

// The worker as its own process (worker/main.ts) with METRICS_BIND_ADDRESS: its SDK runtime is its own.
let env: TestWorkflowEnvironment;
let stack: Stack;
let worker: TestWorker | undefined;
let workflowBundle: string;

beforeAll(async () => {
  env = await connectToTestServer();
  stack = await startStack('metrics');
  workflowBundle = join(mkdtempSync(join(tmpdir(), 'fsfo-metrics-')), 'workflow-bundle.js');
  await writeWorkflowBundle(workflowBundle);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

const SERVICES = ['token', 'dataverse', 'finance'] as const;
type Service = (typeof SERVICES)[number];

function sandboxControl(service: Service, path: string, body?: unknown, method = 'GET') {
  return fetch(`${stack.sandboxes.urls[service]}/_sandbox/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** What the sandboxes saw, as `service method entity status` → count (an F&O `$count` is a read of its entity set). */
async function sandboxRequests(): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (const service of SERVICES) {
    const stats = (await (await sandboxControl(service, 'stats')).json()) as {
      requests: { method: string; entitySet: string; status: number; count: number }[];
    };
    for (const { method, entitySet, status, count } of stats.requests) {
      const key = `${service} ${method} ${entitySet.replace(/\/\$count$/, '')} ${status}`;
      seen[key] = (seen[key] ?? 0) + count;
    }
  }
  return seen;
}

/** What the worker counted, in the same form. */
function workerRequests(samples: Sample[]): Record<string, number> {
  const counted: Record<string, number> = {};
  for (const { name, labels, value } of samples) {
    if (name !== D365_REQUEST_METRICS.requests) continue;
    counted[`${labels.service} ${labels.method} ${labels.entity} ${labels.status}`] = value;
  }
  return counted;
}

/** Every metric name a query of the shipped dashboard uses, histogram series reduced to their metric. */
function dashboardMetricNames(): string[] {
  const dashboard = readFileSync(resolve(__dirname, '../../deploy/grafana/dashboards/fsfo.json'), 'utf8');
  const { panels } = JSON.parse(dashboard) as { panels: { targets?: { expr: string }[] }[] };
  const names = panels
    .flatMap((panel) => panel.targets ?? [])
    .flatMap(({ expr }) => expr.match(/\b(?:fsfo|temporal)_[a-z0-9_]+/g) ?? [])
    .map((name) => name.replace(/_(bucket|sum|count)$/, ''));
  return [...new Set(names)].sort();
}

async function start(number: string): Promise<WorkOrderHandle> {
  await startWorkOrder(env.client, stack.config, number);
  return env.client.workflow.getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(number));
}

test("one work order invoiced and one parked: the worker's endpoint counts stages, NeedsAttention, the approval and every Dynamics 365 request the sandboxes saw", async () => {
  const invoiced = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    products: [{ product: 'P-1000', used: true, estimate: 2, quantity: 2, price: 45 }],
  });
  // A quantity far above SALES_ORDER_MAX_LINE_QUANTITY: the sales order is refused, the work order parks.
  const parked = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    products: [{ product: 'P-1000', used: true, estimate: 1, quantity: 1e6, price: 1 }],
  });
  for (const service of SERVICES) await sandboxControl(service, 'stats', undefined, 'DELETE');
  // F&O throttles every request until the worker has counted one 429, so the retry delay is seen too.
  await sandboxControl('finance', 'faults', { throttleRate: 1, throttleRetryAfterSeconds: 1 }, 'PUT');

  const url = `http://127.0.0.1:${await freePort()}/metrics`;
  worker = processWorker(stack, workflowBundle, { METRICS_BIND_ADDRESS: new URL(url).host });
  const handle = await start(invoiced);
  await scrapeUntil(
    url,
    'a 429 from F&O',
    (samples) => total(samples, D365_REQUEST_METRICS.requests, { service: 'finance', status: '429' }) > 0,
  );
  await sandboxControl('finance', 'faults', {}, 'PUT');

  await waitForStage(handle, 'AwaitingApproval');
  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
  await waitForStage(handle, 'AwaitingInvoice');
  const posted = await stack.control('finance', `sales-orders/usmf/${invoiced}/post-invoice`);
  const { InvoiceNumber } = (await posted.json()) as { InvoiceNumber: string };
  await handle.signal(invoicePostedSignal, { invoiceNumber: InvoiceNumber, legalEntity: 'usmf' });
  expect((await handle.result()).stage).toBe('Invoiced');
  const parkedHandle = await start(parked);
  await waitForStage(parkedHandle, 'NeedsAttention');

  // The gauge is read from visibility on an interval; the SDK's own counters appear as it records them.
  const samples = await scrapeUntil(
    url,
    'one work order in NeedsAttention and the SDK counting the completed workflow',
    (s) =>
      total(s, WAITING_WORKFLOWS_METRIC, { stage: 'NeedsAttention' }) === 1 &&
      total(s, 'temporal_workflow_completed', { workflow_type: 'workOrderInvoicing' }) === 1,
  );

  const workOrders = { workflowType: 'workOrderInvoicing' };
  const entered = (stage: string) => total(samples, WORKFLOW_METRICS.stageEntered, { ...workOrders, stage });
  // The invoiced one passes SyncingMasterData twice (before approval, and again after closing); the parked one
  // enters SyncingMasterData, then CreatingSalesOrder where its order is refused.
  expect({
    SyncingMasterData: entered('SyncingMasterData'),
    CreatingSalesOrder: entered('CreatingSalesOrder'),
    AwaitingApproval: entered('AwaitingApproval'),
    AwaitingInvoice: entered('AwaitingInvoice'),
    RecordingInvoice: entered('RecordingInvoice'),
    Invoiced: entered('Invoiced'),
    NeedsAttention: entered('NeedsAttention'),
    Rejected: entered('Rejected'),
  }).toEqual({
    SyncingMasterData: 3,
    CreatingSalesOrder: 2,
    AwaitingApproval: 1,
    AwaitingInvoice: 1,
    RecordingInvoice: 1,
    Invoiced: 1,
    NeedsAttention: 1,
    Rejected: 0,
  });
  expect(
    samples
      .filter((sample) => sample.name === WORKFLOW_METRICS.needsAttentionEntered)
      .map(({ labels: { stage, reason_class }, value }) => ({ stage, reason_class, value })),
  ).toEqual([{ stage: 'CreatingSalesOrder', reason_class: 'ImplausibleSalesOrder', value: 1 }]);
  expect(
    samples
      .filter((sample) => sample.name === WORKFLOW_METRICS.approvalDecisions)
      .map(({ labels: { decision, channel }, value }) => ({ decision, channel, value })),
  ).toEqual([{ decision: 'approved', channel: 'temporal', value: 1 }]);
  expect(total(samples, WAITING_WORKFLOWS_METRIC, { stage: 'AwaitingApproval' })).toBe(0);

  // Every request the sandboxes answered, counted by the worker under the same service, method, entity and status.
  const requests = workerRequests(samples);
  expect(requests).toEqual(await sandboxRequests());
  expect(requests).toMatchObject({
    'token POST token 200': 2,
    'finance POST $batch 200': expect.any(Number),
    'dataverse GET msdyn_workorders 200': expect.any(Number),
  });
  const throttled = total(samples, D365_REQUEST_METRICS.requests, { service: 'finance', status: '429' });
  expect(total(samples, `${D365_REQUEST_METRICS.retryAfter}_count`, { service: 'finance' })).toBe(throttled);
  expect(total(samples, `${D365_REQUEST_METRICS.retryAfter}_sum`, { service: 'finance' })).toBe(
    1000 * throttled,
  );

  // The SDK's own metrics share the endpoint: the throttled attempt failed an activity once at least.
  expect(total(samples, 'temporal_activity_execution_failed')).toBeGreaterThanOrEqual(1);
  expect(total(samples, 'temporal_workflow_task_execution_latency_count')).toBeGreaterThan(0);

  // The dashboard graphs only what exists: a metric this run exposed, or one the product defines.
  const exposed = new Set(samples.map((sample) => sample.name.replace(/_(bucket|sum|count)$/, '')));
  const defined = [
    ...Object.values(WORKFLOW_METRICS),
    ...Object.values(D365_REQUEST_METRICS),
    WAITING_WORKFLOWS_METRIC,
  ];
  expect([...exposed].filter((name) => name.startsWith('fsfo_') && !defined.includes(name as never))).toEqual(
    [],
  );
  expect(
    dashboardMetricNames().filter((name) => !exposed.has(name) && !defined.includes(name as never)),
  ).toEqual([]);
}, 180_000);

test('a worker that takes a work order over replays its history without counting its stages again', async () => {
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    products: [{ product: 'P-1001', used: true, estimate: 1, quantity: 1, price: 30 }],
  });
  const handle = await start(number);
  await waitForStage(handle, 'AwaitingApproval');
  // The first worker dies with the workflow in its cache; the next one has only the history to go on.
  await worker!.stop();
  const url = `http://127.0.0.1:${await freePort()}/metrics`;
  worker = processWorker(stack, workflowBundle, { METRICS_BIND_ADDRESS: new URL(url).host });
  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
  await waitForStage(handle, 'AwaitingInvoice');
  const posted = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
  const { InvoiceNumber } = (await posted.json()) as { InvoiceNumber: string };
  await handle.signal(invoicePostedSignal, { invoiceNumber: InvoiceNumber, legalEntity: 'usmf' });
  expect((await handle.result()).stage).toBe('Invoiced');

  const samples = await scrapeUntil(
    url,
    'the completed workflow',
    (s) => total(s, 'temporal_workflow_completed', { workflow_type: 'workOrderInvoicing' }) === 1,
  );
  // Only what this worker did: from the approval on, not the first SyncingMasterData nor AwaitingApproval.
  const entered = samples
    .filter((sample) => sample.name === WORKFLOW_METRICS.stageEntered && sample.value > 0)
    .map(({ labels: { stage }, value }) => [stage, value]);
  expect(Object.fromEntries(entered)).toEqual({
    CreatingSalesOrder: 1,
    SyncingMasterData: 1,
    AwaitingInvoice: 1,
    RecordingInvoice: 1,
    Invoiced: 1,
  });
  expect(total(samples, WORKFLOW_METRICS.approvalDecisions, { decision: 'approved' })).toBe(1);
}, 180_000);
