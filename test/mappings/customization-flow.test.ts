import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { applySyncSchedules, syncScheduleId } from '../../client/sync-schedules';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { loadMappingProject } from '../../mappings/project/loader';
import { runSchedule } from '../master-data/support';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { waitForStage } from '../support/work-order-stage';
import { connectorCatalog } from '../../connectors/entities/catalog';

// The customization of issue #5 through the flows themselves (worker, Temporal, sandboxes over HTTP):
// MAPPING_PROJECT names a file that adds a custom column, overrides a default and adds an entity task.
const projectFile = path.relative(process.cwd(), path.join(__dirname, 'fixtures', 'customization-flow.yaml'));

let env: TestWorkflowEnvironment;
let stack: Stack;
let worker: TestWorker;
/** The sync the worker makes of the project's added task `Customers - Accounts`. */
const ADDED_SYNC = 'customers-accounts';

beforeAll(async () => {
  env = await connectToTestServer();
  stack = await startStack('customization-flow', {}, { MAPPING_PROJECT: projectFile });
  worker = await inProcessWorker(env, stack, await bundleWorkflows());
});
afterAll(async () => {
  await env?.client.schedule
    .getHandle(syncScheduleId(ADDED_SYNC))
    .delete()
    .catch(() => undefined);
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

async function usdId(): Promise<string | undefined> {
  const currencies = await stack.dataverse<{ value: { transactioncurrencyid: string }[] }>(
    "transactioncurrencies?$filter=isocurrencycode eq 'USD'",
  );
  return currencies.value[0]?.transactioncurrencyid;
}

test('the work order flow carries the custom column and the overridden default', async () => {
  const account = `C-${randomUUID().slice(0, 8).toUpperCase()}`;
  await stack.createInDataverse('accounts', {
    name: 'Contoso Pharmaceuticals',
    accountnumber: account,
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${await usdId()})`,
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
  await waitForStage(env.client.workflow.getHandle(workOrderWorkflowId(number)), 'AwaitingApproval');

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

test("the project's added entity task runs on a schedule of its own: an F&O customer becomes a Field Service account", async () => {
  const account = `FC-${randomUUID().slice(0, 8).toUpperCase()}`;
  await stack.createInFinance('CustomersV3', {
    dataAreaId: stack.config.finance.company,
    CustomerAccount: account,
    OrganizationName: 'Fabrikam Field Works',
    CustomerGroupId: '10',
    SalesCurrencyCode: 'USD',
    DeliveryAddressCity: 'Redmond',
    PrimaryContactPhone: '+1 425 555 0100',
  });
  const project = loadMappingProject(stack.config.mappingProject, connectorCatalog());
  expect(
    await applySyncSchedules(env.client, stack.config, project, {
      every: '365 days',
      paused: true, // the test triggers each run
      since: new Date(0),
      only: [ADDED_SYNC],
    }),
  ).toEqual({ [syncScheduleId(ADDED_SYNC)]: 'created' });

  const first = await runSchedule(env.client, syncScheduleId(ADDED_SYNC));
  expect(first.failed).toEqual([]);
  expect(first.created).toBeGreaterThanOrEqual(1);
  const found = await stack.dataverse<{ value: Record<string, unknown>[] }>(
    `accounts?$filter=accountnumber eq '${account}'`,
  );
  expect(found.value).toEqual([
    expect.objectContaining({
      name: 'Fabrikam Field Works',
      customertypecode: 3,
      address1_city: 'Redmond',
      telephone1: '+1 425 555 0100',
      _transactioncurrencyid_value: await usdId(),
    }),
  ]);

  expect(await runSchedule(env.client, syncScheduleId(ADDED_SYNC))).toMatchObject({
    created: 0,
    updated: 0,
    failed: [],
  });
});
