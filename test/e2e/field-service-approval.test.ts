import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { type WorkOrderChangesPage, workOrderWatermarkAt } from '../../activities/watchers/contract';
import { createWatcherActivities } from '../../activities/watchers';
import { registerWorkOrderCommands } from '../../client/commands/work-order';
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
import { InvoicingDecision } from '../../connectors/entities/dataverse';
import { loadMappingProject } from '../../mappings/project/loader';
import { invoicePostedSignal, statusQuery } from '../../workflows/work-order/messages';
import type { WorkOrderState } from '../../workflows/work-order/state';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { waitForStage, type WorkOrderHandle } from '../support/work-order-stage';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { runCli } from '../support/cli';

// Worker + Temporal + the sandboxes + the webhook endpoint, approval always required and only the service
// manager (by e-mail) on the approvers list. Field Service users act through impersonation (MSCRMCallerID).
const serviceManager = { id: '00000000-0000-4000-8000-0000005e0001', email: 'dana@contoso.com' };
const technician = { id: '00000000-0000-4000-8000-0000005e0002', email: 'tom@contoso.com' };

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker;
let webhook: Server;
const logged: string[] = [];

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
  stack = await startStack(
    'e2e-fs-approval',
    {},
    {
      WEBHOOK_SECRET: 'e2e-webhook-key-0123456789',
      APPROVAL_POLICY: 'always',
      APPROVERS: `${serviceManager.email}`,
    },
  );
  worker = await inProcessWorker(env, stack, workflowBundle);
  const { dataverse } = createConnectors(stack.config);
  const project = loadMappingProject(stack.config.mappingProject, connectorCatalog());
  webhook = createWebhookServer({
    client: env.client,
    config: stack.config,
    dataverse,
    selectedWorkOrder: selectedWorkOrderLookup(dataverse, project),
    log: (line) => logged.push(line),
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}${WORK_ORDER_ROUTE}`;
  await registerProjectWebhook(dataverse, project, url, stack.config.webhook.secret);
});
afterAll(async () => {
  await new Promise((resolve) => webhook?.close(resolve));
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

/** Runs `fsfo work-order ...` in process. */
const fsfo = (...args: string[]) => runCli(registerWorkOrderCommands, stack.config, 'work-order', args);

/** A completed work order the webhook took to AwaitingApproval. */
async function awaitingApproval(): Promise<{ number: string; handle: WorkOrderHandle }> {
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    customer: 'US-003',
    products: [{ product: 'P-1000', estimate: 2, quantity: 2, price: 45, used: true }],
  });
  const handle: WorkOrderHandle = env.client.workflow.getHandle(workOrderWorkflowId(number));
  await waitForStage(handle, 'AwaitingApproval');
  return { number, handle };
}

/** A user sets the work order's decision column in Field Service. */
const decideInFieldService = (number: string, userId: string, decision: Record<string, unknown>) =>
  stack.updateInDataverse(`msdyn_workorders(msdyn_name='${number}')`, decision, userId);

const workOrderIdOf = (state: WorkOrderState) => state.workOrder!.workOrderId;

async function untilState(
  handle: WorkOrderHandle,
  what: string,
  met: (state: WorkOrderState) => boolean,
): Promise<WorkOrderState> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const state = await handle.query(statusQuery);
    if (met(state)) return state;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state)}`);
    await delay(100);
  }
}

test('a service manager on the approvers list approves in Field Service: the work order is invoiced, status names them', async () => {
  const { number, handle } = await awaitingApproval();

  await decideInFieldService(number, serviceManager.id, {
    fsfo_invoicingdecision: InvoicingDecision.Approved,
  });
  await waitForStage(handle, 'AwaitingInvoice');
  const posted = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
  const { InvoiceNumber } = (await posted.json()) as { InvoiceNumber: string };
  await handle.signal(invoicePostedSignal, { invoiceNumber: InvoiceNumber, legalEntity: 'usmf' });
  const result = await handle.result();

  expect(result.stage).toBe('Invoiced');
  expect(result.approval).toMatchObject({
    approvedBy: 'Dana Manager (dana@contoso.com)',
    channel: 'field-service',
    userId: serviceManager.id,
  });
  expect(result.refusal).toBeUndefined();
  const { stdout } = await fsfo('status', number);
  expect(stdout).toMatch(/Approved: {5}by Dana Manager \(dana@contoso\.com\) via field-service at 20\d\d-/);
  // The approval stays on the closed work order as Field Service's record of it.
  const { value } = await stack.dataverse<{ value: Record<string, unknown>[] }>(
    `msdyn_workorders?$select=msdyn_systemstatus,fsfo_invoicingdecision&$filter=msdyn_name eq '${number}'`,
  );
  expect(value[0]).toMatchObject({
    msdyn_systemstatus: SystemStatus.Posted,
    fsfo_invoicingdecision: InvoicingDecision.Approved,
  });
  expect(logged).toContain(`Field Service decision to approve invoicing of work order ${number}: taken`);
});

test('an approval by a user not on the list is refused, in status and the log; the CLI enforces the same list', async () => {
  const { number, handle } = await awaitingApproval();

  await decideInFieldService(number, technician.id, { fsfo_invoicingdecision: InvoicingDecision.Approved });
  const refused = await untilState(handle, 'the refusal', (state) => state.refusal !== undefined);
  expect(refused.stage).toBe('AwaitingApproval');
  expect(refused.approval).toBeUndefined();
  expect(refused.refusal).toMatchObject({
    decision: 'approve',
    by: 'Tom Technician (tom@contoso.com)',
    channel: 'field-service',
    reason: 'Tom Technician (tom@contoso.com) (field-service) is not on the approvers list (APPROVERS)',
  });
  expect((await fsfo('status', number)).stdout).toMatch(
    /Refused: {6}approve at 20\S+: Tom Technician \(tom@contoso\.com\) \(field-service\) is not on the approvers list/,
  );
  expect(logged).toContainEqual(
    expect.stringMatching(
      new RegExp(
        `^Field Service decision to approve invoicing of work order ${number}: refused: .*not on the approvers list`,
      ),
    ),
  );

  // The CLI: the technician is refused as well, the service manager approves.
  const byTechnician = await fsfo('approve', number, '--by', technician.email);
  expect(byTechnician.exitCode).toBe(1);
  expect(byTechnician.stderr).toBe(
    `Refused: Cannot approve invoicing of work order ${number}: tom@contoso.com (cli) is not on the approvers list (APPROVERS)`,
  );
  expect((await handle.query(statusQuery)).stage).toBe('AwaitingApproval');
  const byManager = await fsfo('approve', number, '--by', 'Dana@Contoso.com');
  expect(byManager.exitCode).toBeUndefined();
  const approved = await waitForStage(handle, 'AwaitingInvoice');
  expect(approved.approval).toMatchObject({ approvedBy: 'Dana@Contoso.com', channel: 'cli' });
  expect((await fsfo('status', number)).stdout).toMatch(/Approved: {5}by Dana@Contoso\.com via cli at /);
});

test('a rejection in Field Service sends the work order back with its reason and clears the decision', async () => {
  const { number, handle } = await awaitingApproval();

  await decideInFieldService(number, serviceManager.id, {
    fsfo_invoicingdecision: InvoicingDecision.Rejected,
    fsfo_invoicingdecisionreason: 'labour missing',
  });
  const rejected = await waitForStage(handle, 'Rejected');
  expect(rejected.rejections).toEqual([
    expect.objectContaining({
      rejectedBy: 'Dana Manager (dana@contoso.com)',
      reason: 'labour missing',
      channel: 'field-service',
    }),
  ]);
  const { value } = await stack.dataverse<{ value: Record<string, unknown>[] }>(
    `msdyn_workorders?$select=msdyn_systemstatus,fsfo_invoicingdecision&$filter=msdyn_name eq '${number}'`,
  );
  expect(value[0]).toMatchObject({
    msdyn_systemstatus: SystemStatus.InProgress,
    fsfo_invoicingdecision: null,
  });
});

test("a decision left in the column is not the next writer's: an approver's later line change approves nothing", async () => {
  const { number, handle } = await awaitingApproval();
  await decideInFieldService(number, technician.id, { fsfo_invoicingdecision: InvoicingDecision.Approved });
  await untilState(handle, 'the refusal', (state) => state.refusal !== undefined);

  // The service manager changes a line: Field Service moves the header's total, which the webhook reports.
  const { value: lines } = await stack.dataverse<{ value: { msdyn_workorderproductid: string }[] }>(
    `msdyn_workorderproducts?$select=msdyn_workorderproductid&$filter=_msdyn_workorder_value eq ${workOrderIdOf(
      await handle.query(statusQuery),
    )}`,
  );
  await stack.updateInDataverse(
    `msdyn_workorderproducts(${lines[0].msdyn_workorderproductid})`,
    { msdyn_quantity: 3 },
    serviceManager.id,
  );
  const resynced = await untilState(
    handle,
    "the changed line's sync",
    (state) => state.stage === 'AwaitingApproval' && state.salesOrder?.totalAmount === 135,
  );
  expect(resynced.approval).toBeUndefined();
});

// Last: it unregisters the webhook, so only the work order watcher hears of the decision.
test('the work order watcher turns a decision set in Field Service into the approval, by the user who set it', async () => {
  const { number, handle } = await awaitingApproval();
  const { dataverse } = createConnectors(stack.config);
  await unregisterWorkOrderWebhook(dataverse);
  const since = new Date(Date.now() - 1000);

  await decideInFieldService(number, serviceManager.id, {
    fsfo_invoicingdecision: InvoicingDecision.Approved,
  });
  // One watcher run, as the work order watcher's workflow calls its activities; its clock past the settling time.
  const activities = createWatcherActivities(
    stack.config,
    createConnectors(stack.config),
    loadMappingProject(stack.config.mappingProject, connectorCatalog()),
    () => Date.now() + 5_000,
  );
  const run = new MockActivityEnvironment({}, { client: env.client });
  const changes = await run.run<[], WorkOrderChangesPage, () => Promise<WorkOrderChangesPage>>(() =>
    activities.findChangedWorkOrders({ after: workOrderWatermarkAt(since), limit: 50 }),
  );
  expect(changes.items).toContain(number);
  await run.run(() => activities.startWorkOrders(changes.items, changes.notices));

  const approved = await waitForStage(handle, 'AwaitingInvoice');
  expect(approved.approval).toMatchObject({
    approvedBy: 'Dana Manager (dana@contoso.com)',
    channel: 'field-service',
    userId: serviceManager.id,
  });
});
