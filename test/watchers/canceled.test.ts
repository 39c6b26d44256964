import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { SETTLE_MS } from '../../activities/settle';
import { type WorkOrderChangesPage, workOrderWatermarkAt } from '../../activities/watchers/contract';
import { createWatcherActivities } from '../../activities/watchers';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { workOrders, WorkOrderSystemStatus } from '../../connectors/entities/dataverse';
import { eq } from '../../connectors/odata/filter';
import { loadMappingProject } from '../../mappings/project/loader';
import { connectToTestServer, uniqueTaskQueue } from '../support/temporal';
import { signalsOf, startSandboxStack, type SandboxStack } from './support/stack';
import { connectorCatalog } from '../../connectors/entities/catalog';

let env: TestWorkflowEnvironment;
let stack: SandboxStack;

beforeAll(async () => {
  env = await connectToTestServer();
  stack = await startSandboxStack('watch-canceled');
});
afterAll(async () => {
  await stack?.close();
  await env?.teardown();
});

test('the work order watcher reports cancelled work orders apart; it signals their running workflows and starts none', async () => {
  // No worker polls this queue: each workflow stays as the activities left it.
  const config = {
    ...stack.config,
    temporal: { ...stack.config.temporal, taskQueue: uniqueTaskQueue('unpolled-canceled') },
  };
  const activities = createWatcherActivities(
    config,
    stack.connectors,
    loadMappingProject('standard', connectorCatalog()),
  );
  const since = workOrderWatermarkAt(new Date(Date.now() - 1000));
  const prefix = `WO-${randomUUID().slice(0, 6)}`;
  const [eligible, canceledRunning, canceledNeverStarted, unscheduled] = [1, 2, 3, 4].map(
    (n) => `${prefix}-${n}`,
  );
  await stack.createWorkOrder(canceledRunning, WorkOrderSystemStatus.OpenCompleted);
  await startWorkOrder(env.client, config, canceledRunning!);
  for await (const row of stack.connectors.dataverse.query(workOrders, {
    filter: eq('msdyn_name', canceledRunning!),
  })) {
    const canceled = { msdyn_systemstatus: WorkOrderSystemStatus.ClosedCanceled };
    await stack.connectors.dataverse.update(workOrders, row.msdyn_workorderid, canceled, '*');
  }
  await stack.createWorkOrder(eligible!, WorkOrderSystemStatus.OpenCompleted);
  await stack.createWorkOrder(canceledNeverStarted!, WorkOrderSystemStatus.ClosedCanceled);
  await stack.createWorkOrder(unscheduled!, WorkOrderSystemStatus.OpenUnscheduled);
  await delay(SETTLE_MS + 100); // the watcher leaves changes younger than that to its next run

  const mock = new MockActivityEnvironment({}, { client: env.client });
  const page: WorkOrderChangesPage = await mock.run(activities.findChangedWorkOrders, {
    after: since,
    limit: 10,
  });
  expect(page.items).toEqual([eligible]);
  expect(page.canceled).toEqual([canceledRunning, canceledNeverStarted]);
  // The unscheduled one is left out, as before; the watermark ends at the last work order reported.
  expect(page.watermark.workOrderNumber).toBe(canceledNeverStarted);

  const outcomes = await mock.run(activities.signalCanceledWorkOrders, page.canceled ?? []);
  expect(outcomes).toEqual({ signalled: 1, withoutWorkflow: 1 });
  const running = env.client.workflow.getHandle(workOrderWorkflowId(canceledRunning!));
  expect(await signalsOf(running)).toEqual(['workOrderChanged', 'workOrderChanged']);
  await expect(
    env.client.workflow.getHandle(workOrderWorkflowId(canceledNeverStarted!)).describe(),
  ).rejects.toThrow(WorkflowNotFoundError);
  await running.terminate('test done');
});
