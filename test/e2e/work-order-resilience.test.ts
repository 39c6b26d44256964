import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { writeWorkflowBundle } from '../../scripts/bundle-workflows';
import type { workOrderInvoicing } from '../../workflows';
import { approveInvoicingUpdate, invoicePostedSignal } from '../../workflows/work-order/messages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { completedAttempt, killWorkerMidActivity } from '../support/worker-crash';
import { processWorker, type TestWorker } from '../support/workers';
import { startStack, type Stack } from '../support/stack';
import { connectToTestServer } from '../support/temporal';
import { waitForStage } from '../support/work-order-stage';

// The worker runs as its own process here, so it can be killed with SIGKILL like a crashed machine.
let env: TestWorkflowEnvironment;
let stack: Stack;
let worker: TestWorker | undefined;
let workflowBundle: string;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = join(mkdtempSync(join(tmpdir(), 'fsfo-resilience-')), 'workflow-bundle.js');
  await writeWorkflowBundle(workflowBundle);
});
beforeEach(async () => {
  stack = await startStack('e2e-resilience');
});
afterEach(async () => {
  await worker?.stop();
  await stack.close();
});
afterAll(() => env?.teardown());

// Generous: the activity in flight on the killed worker is retried after its heartbeat timeout (20 s),
// then backs off under the injected faults, on a CI machine that may be slower than this one.
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
  worker = processWorker(stack, workflowBundle);
  expect(await startWorkOrder(env.client, stack.config, number)).toBe('started-or-signalled');
  const handle = env.client.workflow.getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(number));

  // Kill the worker while one of the flow's activities runs on it, then start another one.
  const interrupted = await killWorkerMidActivity(handle, worker, () => processWorker(stack, workflowBundle));
  expect(await startWorkOrder(env.client, stack.config, number)).toBe('started-or-signalled'); // duplicate start
  worker = processWorker(stack, workflowBundle);
  await waitForStage(handle, 'AwaitingApproval', 180_000);

  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana' }] });
  await waitForStage(handle, 'AwaitingInvoice', 180_000);
  await worker?.stop();
  worker = processWorker(stack, workflowBundle);

  const posted = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
  expect(posted.status).toBe(200);
  const { InvoiceNumber: invoiceNumber } = (await posted.json()) as { InvoiceNumber: string };
  await handle.signal(invoicePostedSignal, { invoiceNumber });
  await waitForStage(handle, 'Invoiced', 180_000);
  expect(await startWorkOrder(env.client, stack.config, number)).toBe('already-completed');
  // The kill cut an activity short: the server timed that attempt out and a later one completed it.
  for (const { activityId, attempt } of interrupted) {
    expect(await completedAttempt(handle, activityId)).toBeGreaterThan(attempt);
  }

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
