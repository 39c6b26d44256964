import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { writeWorkflowBundle } from '../../scripts/bundle-workflows';
import { startDevServer } from '../../scripts/dev-server';
import type { workOrderInvoicing } from '../../workflows';
import { approveInvoicingUpdate, invoicePostedSignal } from '../../workflows/work-order/messages';
import { type EntryProcess, startEntry } from '../support/entry-process';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { freePort } from '../support/ports';
import { type Stack, startStack } from '../support/stack';
import { uniqueTaskQueue } from '../support/temporal';
import { waitForStage } from '../support/work-order-stage';

// The worker process started before what it needs: it waits, then works once Temporal and Entra ID are up.
const APP = {
  tenantId: '00000000-0000-4000-8000-00000000f5f0',
  clientId: '00000000-0000-4000-8000-0000000c11e7',
  clientSecret: 'sandbox-client-secret',
};
let workflowBundle: string;
let worker: EntryProcess | undefined;
let stack: Stack | undefined;
let temporal: TestWorkflowEnvironment | undefined;

beforeAll(async () => {
  workflowBundle = join(mkdtempSync(join(tmpdir(), 'fsfo-startup-wait-')), 'workflow-bundle.js');
  await writeWorkflowBundle(workflowBundle);
});
afterEach(async () => {
  await worker?.stop();
  await stack?.close();
  await temporal?.teardown();
  worker = stack = temporal = undefined;
});

function startWorker(env: NodeJS.ProcessEnv): EntryProcess {
  return startEntry('worker/main.ts', {
    TEMPORAL_NAMESPACE: 'default',
    AZURE_TENANT_ID: APP.tenantId,
    AZURE_CLIENT_ID: APP.clientId,
    AZURE_CLIENT_SECRET: APP.clientSecret,
    WORKFLOW_BUNDLE: workflowBundle,
    ...env,
  });
}

test('a worker started before Temporal and the token endpoint waits for both, then runs a work order to its invoice', async () => {
  const ports = {
    temporal: await freePort(),
    token: await freePort(),
    dataverse: await freePort(),
    finance: await freePort(),
  };
  const taskQueue = uniqueTaskQueue('startup-wait');
  const tokenUrl = `http://127.0.0.1:${ports.token}/${APP.tenantId}/oauth2/v2.0/token`;
  worker = startWorker({
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
    TEMPORAL_TASK_QUEUE: taskQueue,
    FS_URL: `http://127.0.0.1:${ports.dataverse}`,
    FNO_URL: `http://127.0.0.1:${ports.finance}`,
    AZURE_TOKEN_URL: tokenUrl,
  });

  expect(await worker.waitForLine('stderr', /^Waiting for Temporal/)).toBe(
    `Waiting for Temporal at 127.0.0.1:${ports.temporal} (namespace default): connection refused; retrying for up to 5m`,
  );
  expect(await worker.waitForLine('stderr', /^Waiting for the Entra ID/)).toBe(
    `Waiting for the Entra ID token endpoint ${tokenUrl} (tokens for Dataverse and F&O): unreachable ` +
      '(the request failed on the network); retrying for up to 5m',
  );

  stack = await startStack(
    'startup-wait',
    { ports },
    {
      TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
      TEMPORAL_TASK_QUEUE: taskQueue,
    },
  );
  await worker.waitForLine('stderr', /^Reached the Entra ID token endpoint/);
  temporal = await startDevServer({ port: ports.temporal });
  await worker.waitForLine('stderr', /^Reached Temporal at/, 60_000);
  await worker.waitForLine('stdout', /^Worker polling task queue/, 60_000);

  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    customer: 'US-002',
    products: [{ product: 'P-1000', used: true, allocated: true, estimate: 2, quantity: 2, price: 45 }],
  });
  expect(await startWorkOrder(temporal.client, stack.config, number)).toBe('started-or-signalled');
  const handle = temporal.client.workflow.getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(number));
  await waitForStage(handle, 'AwaitingApproval', 120_000);
  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana' }] });
  await waitForStage(handle, 'AwaitingInvoice', 120_000);
  const posted = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
  const { InvoiceNumber: invoiceNumber } = (await posted.json()) as { InvoiceNumber: string };
  await handle.signal(invoicePostedSignal, { invoiceNumber });
  await waitForStage(handle, 'Invoiced', 120_000);

  const lines = await stack.finance<{ value: { ProductNumber: string; OrderedSalesQuantity: number }[] }>(
    `CDSSalesOrderLines?$filter=SalesOrderNumber eq '${number}'`,
  );
  expect(
    lines.value.map(({ ProductNumber, OrderedSalesQuantity }) => ({ ProductNumber, OrderedSalesQuantity })),
  ).toEqual([{ ProductNumber: 'P-1000', OrderedSalesQuantity: 2 }]);
  expect(worker.stderr()).not.toMatch(/^\s+at /m);
}, 240_000);

test('a client secret the token endpoint refuses stops the worker at once: one line, exit 2, no secret', async () => {
  stack = await startStack('startup-wait-secret');
  const { config } = stack;
  worker = startWorker({
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    FS_URL: config.fieldService.url,
    FNO_URL: config.finance.url,
    AZURE_TOKEN_URL: config.azure.tokenUrl,
    AZURE_CLIENT_SECRET: 'not-the-sandbox-client-secret',
  });

  expect(await worker.exited()).toBe(2);
  const stderr = worker.stderr().trim();
  expect(stderr.split('\n')).toHaveLength(1);
  expect(stderr).toMatch(
    new RegExp(
      `^The Entra ID token endpoint ${config.azure.tokenUrl} \\(tokens for Dataverse and F&O\\): the app's ` +
        `credentials were refused for Dataverse ${config.fieldService.url} \\(401 invalid_client: .+\\): check ` +
        'AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET$',
    ),
  );
  expect(stderr).not.toContain('not-the-sandbox-client-secret');
  expect(worker.stdout()).not.toContain('Worker polling');
}, 60_000);
