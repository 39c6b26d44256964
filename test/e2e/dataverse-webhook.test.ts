import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { workOrderWorkflowId } from '../../client/starters/work-order';
import {
  registerProjectWebhook,
  unregisterWorkOrderWebhook,
  WORK_ORDER_ROUTE,
} from '../../client/webhook/registration';
import { createWebhookServer } from '../../client/webhook/server';
import { selectedWorkOrderLookup } from '../../client/webhook/work-order-lookup';
import { createConnectors } from '../../connectors';
import { connectorCatalog } from '../../connectors/entities/catalog';
import { loadMappingProject } from '../../mappings/project/loader';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { waitForStage, type WorkOrderHandle } from '../support/work-order-stage';
import { approveInvoicingUpdate, invoicePostedSignal } from '../../workflows/work-order/messages';
import { inProcessWorker, type TestWorker } from '../support/workers';

// Worker + Temporal + the sandboxes + the webhook endpoint; no watcher schedule runs: only Dataverse's
// webhook delivery can start the workflow.
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker;
let webhook: Server;
const logged: string[] = [];

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
  stack = await startStack('e2e-dataverse-webhook', {}, { WEBHOOK_SECRET: 'e2e-webhook-key-0123456789' });
  worker = await inProcessWorker(env, stack, workflowBundle);
  const { dataverse } = createConnectors(stack.config);
  webhook = createWebhookServer({
    client: env.client,
    config: stack.config,
    dataverse,
    selectedWorkOrder: selectedWorkOrderLookup(
      dataverse,
      loadMappingProject(stack.config.mappingProject, connectorCatalog()),
    ),
    log: (line) => logged.push(line),
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => webhook?.close(resolve));
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

async function register() {
  const url = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}${WORK_ORDER_ROUTE}`;
  const project = loadMappingProject(stack.config.mappingProject, connectorCatalog());
  const { dataverse } = createConnectors(stack.config);
  return registerProjectWebhook(dataverse, project, url, stack.config.webhook.secret);
}

const count = async (entitySet: string) =>
  (await stack.dataverse<{ value: unknown[] }>(entitySet)).value.length;

test('registered through the product, the webhook alone takes a completed work order to its sales order', async () => {
  const created = { Create: 'created', Update: 'created' };
  const updated = { Create: 'updated', Update: 'updated' };
  expect(await register()).toEqual({ endpoint: 'created', steps: created, images: created });
  expect(await register()).toEqual({ endpoint: 'updated', steps: updated, images: updated });
  expect(await count('serviceendpoints')).toBe(1);
  expect(await count('sdkmessageprocessingsteps')).toBe(2);
  const { value: images } = await stack.dataverse<{ value: Record<string, unknown>[] }>(
    'sdkmessageprocessingstepimages?$select=imagetype,entityalias,attributes,messagepropertyname',
  );
  expect(images.map(({ messagepropertyname }) => messagepropertyname).sort()).toEqual(['Id', 'Target']);
  for (const image of images) {
    expect(image).toMatchObject({ imagetype: 1, entityalias: 'fsfo' });
    expect(String(image.attributes).split(',')).toEqual(
      expect.arrayContaining(['msdyn_name', 'msdyn_systemstatus', 'versionnumber', 'modifiedon']),
    );
  }

  // Unscheduled is not eligible: the Create and the line writes reach the webhook, which starts nothing.
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Unscheduled,
    customer: 'US-003',
    products: [{ product: 'P-1000', estimate: 2, quantity: 0, price: 45 }],
    services: [{ service: 'S-3000', estimateMinutes: 60, minutes: 0, price: 80 }],
  });
  expect((await stack.control('dataverse', `work-orders/${number}/complete`)).status).toBe(200);

  const handle: WorkOrderHandle = env.client.workflow.getHandle(workOrderWorkflowId(number));
  await waitForStage(handle, 'AwaitingApproval');
  const { value: lines } = await stack.finance<{
    value: { ProductNumber: string; OrderedSalesQuantity: number }[];
  }>(`CDSSalesOrderLines?$filter=SalesOrderNumber eq '${number}'&$orderby=LineCreationSequenceNumber`);
  expect(lines).toEqual([
    expect.objectContaining({ ProductNumber: 'S-3000', OrderedSalesQuantity: 1 }),
    expect.objectContaining({ ProductNumber: 'P-1000', OrderedSalesQuantity: 2 }),
  ]);
  const deliveries = (await (
    await stack.control('dataverse', 'webhook-deliveries', undefined, 'GET')
  ).json()) as {
    value: { message: string; delivered: boolean }[];
  };
  expect(deliveries.value.some((delivery) => delivery.message === 'Create' && delivery.delivered)).toBe(true);
  expect(logged.every((line) => line.startsWith('POST /webhooks/dataverse/work-orders 202'))).toBe(true);
});

interface Delivery {
  message: string;
  outcome: number | string;
  delivered: boolean;
}

/** The sandbox's webhook deliveries since the last reset, once none is in flight. */
async function settledDeliveries(): Promise<Delivery[]> {
  for (;;) {
    const response = await stack.control('dataverse', 'webhook-deliveries', undefined, 'GET');
    const { value } = (await response.json()) as { value: Delivery[] };
    if (value.every((delivery) => delivery.outcome !== 'pending')) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Dataverse requests since the last reset by `<method> <entity set>`; reference data (cached per worker) left out. */
async function dataverseRequests(): Promise<string[]> {
  const stats = (await (await stack.control('dataverse', 'stats', undefined, 'GET')).json()) as {
    requests: { entitySet: string; method: string; count: number }[];
  };
  return stats.requests
    .filter(({ entitySet }) => !['uoms', 'transactioncurrencies'].includes(entitySet))
    .flatMap(({ method, entitySet, count }) => Array<string>(count).fill(`${method} ${entitySet}`))
    .sort();
}

test("the webhook reporting the workflow's own close costs Dynamics 365 no request", async () => {
  await register();
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    customer: 'US-003',
    products: [{ product: 'P-1000', estimate: 2, quantity: 2, price: 45, used: true }],
  });
  const handle: WorkOrderHandle = env.client.workflow.getHandle(workOrderWorkflowId(number));
  await waitForStage(handle, 'AwaitingApproval');
  await settledDeliveries();
  await stack.control('dataverse', 'webhook-deliveries', undefined, 'DELETE');
  await stack.control('dataverse', 'stats', undefined, 'DELETE');

  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
  await waitForStage(handle, 'AwaitingInvoice');
  const posted = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
  const { InvoiceNumber } = (await posted.json()) as { InvoiceNumber: string };
  await handle.signal(invoicePostedSignal, { invoiceNumber: InvoiceNumber, legalEntity: 'usmf' });
  expect((await handle.result()).stage).toBe('Invoiced');

  // Dataverse delivered the close to the webhook (the invoice number is no filtering attribute)...
  expect(await settledDeliveries()).toEqual([
    expect.objectContaining({ message: 'Update', delivered: true }),
  ]);
  // ...at no cost: Dataverse saw only the workflow's own requests, as without the webhook.
  expect(await dataverseRequests()).toEqual([
    'GET msdyn_workorders',
    'PATCH msdyn_workorders',
    'POST $batch',
  ]);
});

test('unregister deletes what register created', async () => {
  await register();
  expect(await unregisterWorkOrderWebhook(createConnectors(stack.config).dataverse)).toBe(3);
  expect(await count('serviceendpoints')).toBe(0);
  expect(await count('sdkmessageprocessingsteps')).toBe(0);
});
