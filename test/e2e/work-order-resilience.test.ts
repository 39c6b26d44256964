import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startWorkOrder, workOrderWorkflowId } from '../../client/work-order-starter';
import { writeWorkflowBundle } from '../../scripts/bundle-workflows';
import type { workOrderInvoicing } from '../../workflows';
import {
  approveInvoicingUpdate,
  invoicePostedSignal,
  statusQuery,
} from '../../workflows/work-order/messages';
import type { Stage } from '../../workflows/work-order/stages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { activityTimeline } from '../support/activity-timeline';
import { connectToTestServer } from '../support/temporal';

// The worker runs as its own process here, so it can be killed with SIGKILL like a crashed machine.
const ROOT = resolve(__dirname, '..', '..');
let env: TestWorkflowEnvironment;
let stack: Stack;
let worker: ChildProcess | undefined;
let workflowBundle: string;

function startWorkerProcess(): ChildProcess {
  const { config, sandboxes } = stack;
  // Node itself runs the worker (tsx as a loader, not a wrapper process), so SIGKILL reaches the worker.
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
      FS_URL: config.fieldService.url,
      FNO_URL: config.finance.url,
      AZURE_TENANT_ID: sandboxes.app.tenantId,
      AZURE_CLIENT_ID: sandboxes.app.clientId,
      AZURE_CLIENT_SECRET: sandboxes.app.clientSecret,
      AZURE_TOKEN_URL: config.azure.tokenUrl,
      // Built once, as in production: a restarted worker polls within seconds, without webpack.
      WORKFLOW_BUNDLE: workflowBundle,
    },
  });
  return child;
}

async function kill(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = join(mkdtempSync(join(tmpdir(), 'fsfo-resilience-')), 'workflow-bundle.js');
  await writeWorkflowBundle(workflowBundle);
});
beforeEach(async () => {
  stack = await startStack('e2e-resilience');
});
afterEach(async () => {
  await kill(worker);
  await stack.close();
});
afterAll(() => env?.teardown());

// Generous: the activity in flight on the killed worker is retried after its heartbeat timeout (20 s),
// then backs off under the injected faults, on a CI machine that may be slower than this one.
async function waitForStage(handle: WorkflowHandle<typeof workOrderInvoicing>, stage: Stage): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const state = await handle.query(statusQuery).catch(() => undefined);
    if (state?.stage === stage) return;
    if (Date.now() > deadline) {
      const timeline = await activityTimeline(handle);
      throw new Error(
        `still ${state?.stage} (${state?.waitingFor}), expected ${stage}; activities:\n${timeline}`,
      );
    }
    await delay(250);
  }
}

test('worker killed mid-flow under 20% throttling and 5xx, and duplicate starts: one sales order, one invoice', async () => {
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    customer: 'US-002',
    products: [
      { product: 'P-1000', used: true, allocated: true, estimate: 2, quantity: 2, price: 45 },
      { product: 'P-1001', used: true, estimate: 1, quantity: 1, price: 99 },
    ],
    services: [{ service: 'S-3001', used: true, estimateMinutes: 60, minutes: 120, price: 80 }],
  });
  // 20% of requests fail: half throttled (429 + Retry-After), half 503.
  const faults = { throttleRate: 0.1, throttleRetryAfterSeconds: 1, serverErrorRate: 0.1, latencyMs: 100 };
  for (const service of ['dataverse', 'finance'] as const) {
    expect((await stack.control(service, 'faults', faults, 'PUT')).ok).toBe(true);
  }
  worker = startWorkerProcess();
  expect(await startWorkOrder(env.client, stack.config, number)).toBe('started-or-signalled');
  const handle = env.client.workflow.getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(number));

  // Kill the worker while the flow is under way, then start another one.
  for (let i = 0; i < 100 && (await handle.query(statusQuery).catch(() => undefined)) === undefined; i++)
    await delay(100);
  await delay(500);
  await kill(worker);
  expect(await startWorkOrder(env.client, stack.config, number)).toBe('started-or-signalled'); // duplicate start
  worker = startWorkerProcess();
  await waitForStage(handle, 'AwaitingApproval');

  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana' }] });
  await waitForStage(handle, 'AwaitingInvoice');
  await kill(worker);
  worker = startWorkerProcess();

  const posted = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
  expect(posted.status).toBe(200);
  const { InvoiceNumber: invoiceNumber } = (await posted.json()) as { InvoiceNumber: string };
  await handle.signal(invoicePostedSignal, { invoiceNumber });
  await waitForStage(handle, 'Invoiced');
  expect(await startWorkOrder(env.client, stack.config, number)).toBe('already-completed');

  for (const service of ['dataverse', 'finance'] as const) await stack.control(service, 'faults', {}, 'PUT');
  const orders = await stack.finance<{ value: unknown[] }>(
    `CDSSalesOrderHeaders?$filter=SalesOrderNumber eq '${number}'`,
  );
  expect(orders.value).toHaveLength(1);
  const lines = await stack.finance<{ value: { LineCreationSequenceNumber: number }[] }>(
    `CDSSalesOrderLines?$filter=SalesOrderNumber eq '${number}'`,
  );
  expect(lines.value.map((line) => line.LineCreationSequenceNumber).sort()).toEqual([-1, 1, 2]);
  const invoices = await stack.dataverse<{ value: { invoiceid: string }[] }>(
    `invoices?$filter=invoicenumber eq '${invoiceNumber}'`,
  );
  expect(invoices.value).toHaveLength(1);
  const details = await stack.dataverse<{ value: unknown[] }>(
    `invoicedetails?$filter=_invoiceid_value eq ${invoices.value[0]!.invoiceid}`,
  );
  expect(details.value).toHaveLength(3);
}, 480_000);
