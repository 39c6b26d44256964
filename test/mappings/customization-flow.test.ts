import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { syncWatermarkAt } from '../../activities/master-data/contract';
import { createMasterDataSyncs } from '../../activities/master-data/syncs';
import { startWorkOrder, workOrderWorkflowId } from '../../client/work-order-starter';
import { createConnectors } from '../../connectors';
import { loadMappingProject } from '../../mappings/project/loader';
import { createWorker } from '../../worker/worker';
import type { workOrderInvoicing } from '../../workflows';
import { statusQuery } from '../../workflows/work-order/messages';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';

// The customization of issue #5 through the flows themselves (worker, Temporal, sandboxes over HTTP):
// MAPPING_PROJECT names a file that adds a custom column, overrides a default and adds an entity.
const projectFile = path.relative(process.cwd(), path.join(__dirname, 'fixtures', 'customization-flow.yaml'));

let env: TestWorkflowEnvironment;
let stack: Stack;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await connectToTestServer();
  stack = await startStack('customization-flow', {}, { MAPPING_PROJECT: projectFile });
  worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    config: stack.config,
    workflowBundle: await bundleWorkflows(),
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await stack?.close();
  await env?.teardown();
});

async function waitForStage(workOrderNumber: string, stage: string, timeoutMs = 30_000): Promise<void> {
  const handle = env.client.workflow.getHandle<typeof workOrderInvoicing>(
    workOrderWorkflowId(workOrderNumber),
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await handle.query(statusQuery);
    if (state.stage === stage) return;
    if (Date.now() > deadline)
      throw new Error(`still ${state.stage} (${state.waitingFor}), expected ${stage}`);
    await delay(200);
  }
}

test('the work order flow carries the custom column and the overridden default', async () => {
  const account = `C-${randomUUID().slice(0, 8).toUpperCase()}`;
  const currencies = await stack.dataverse<{ value: { transactioncurrencyid: string }[] }>(
    "transactioncurrencies?$filter=isocurrencycode eq 'USD'",
  );
  const usd = currencies.value[0]?.transactioncurrencyid;
  await stack.createInDataverse('accounts', {
    name: 'Contoso Pharmaceuticals',
    accountnumber: account,
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usd})`,
  });
  const number = await createWorkOrder(stack, {
    status: SystemStatus.InProgress,
    customer: account,
    products: [{ product: 'P-1000', used: true, estimate: 1, quantity: 1, price: 45 }],
  });
  await stack.updateInDataverse(`msdyn_workorders(msdyn_name='${number}')`, {
    msdyn_workordersummary: 'PO-7788',
  });

  await startWorkOrder(env.client, stack.config, number);
  await waitForStage(number, 'AwaitingApproval');

  const orders = await stack.finance<{ value: Record<string, unknown>[] }>(
    `CDSSalesOrderHeaders?$filter=SalesOrderNumber eq '${number}'`,
  );
  expect(orders.value).toEqual([
    expect.objectContaining({ OrderingCustomerAccountNumber: account, CustomerRequisitionNumber: 'PO-7788' }),
  ]);
  const customers = await stack.finance<{ value: Record<string, unknown>[] }>(
    `CustomersV3?$filter=CustomerAccount eq '${account}'`,
  );
  expect(customers.value).toEqual([expect.objectContaining({ CustomerGroupId: '20' })]);
});

test("the project's added entity runs as a master-data sync: F&O warehouses reach Field Service", async () => {
  const warehouse = `W${randomUUID().slice(0, 6).toUpperCase()}`;
  await stack.createInFinance('Warehouses', {
    dataAreaId: stack.config.finance.company,
    WarehouseId: warehouse,
    WarehouseName: 'Van 42',
    OperationalSiteId: '1',
  });
  const project = loadMappingProject(stack.config.mappingProject);
  const sync = createMasterDataSyncs(stack.config, createConnectors(stack.config), project).get('warehouses');
  if (!sync) throw new Error('the project has no warehouses sync');

  let watermark = syncWatermarkAt(new Date(0));
  for (let page = 0; page < 20; page++) {
    const result = await sync.changes(watermark, 200);
    expect(result.failed).toEqual([]);
    watermark = result.watermark;
    if (!result.more) break;
  }

  const found = await stack.dataverse<{ value: Record<string, unknown>[] }>(
    `msdyn_warehouses?$filter=msdyn_name eq '${warehouse}'`,
  );
  expect(found.value).toEqual([
    expect.objectContaining({ msdyn_name: warehouse, msdyn_description: 'Van 42' }),
  ]);
});
