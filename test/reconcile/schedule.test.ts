import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { noDriftCounts, type ReconcileReport } from '../../activities/reconcile/drift';
import {
  applyReconcileSchedule,
  describeReconcileSchedule,
  RECONCILE_SCHEDULE_ID,
} from '../../client/reconcile-schedule';
import { runScheduleNow } from '../../client/schedules';
import { loadMappingProject } from '../../mappings/project/loader';
import type { Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { startReconcileStack } from './support';
import { connectorCatalog } from '../../connectors/entities/catalog';

let env: TestWorkflowEnvironment;
let stack: Stack;
let worker: TestWorker;

beforeAll(async () => {
  env = await connectToTestServer();
  stack = await startReconcileStack('reconcile-schedule');
  worker = await inProcessWorker(env, stack, await bundleWorkflows());
});
afterAll(async () => {
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

test('the reconcile schedule: its run reports counts per drift class in its result and its details', async () => {
  // A drift judged at once (no in-flight window): an order of the integration whose work order is gone.
  await stack.createInFinance('CDSSalesOrderHeaders', {
    SalesOrderNumber: 'WO-GONE-2',
    OrderingCustomerAccountNumber: 'US-001',
    CurrencyCode: 'USD',
    SalesOrderOriginType: 'WorkOrderIntegration',
  });
  const project = loadMappingProject(stack.config.mappingProject, connectorCatalog());
  // Created paused, as the tests create every schedule: a daily one would also fire at 00:00 UTC on its own.
  const apply = () => applyReconcileSchedule(env.client, stack.config, project, { paused: true });
  expect(await apply()).toBe('created');
  try {
    expect(await apply()).toBe('updated');
    const [status] = await describeReconcileSchedule(env.client, project);
    expect(status).toMatchObject({
      scheduleId: 'reconcile',
      exists: true,
      paused: true,
      everyMs: 86_400_000,
    });

    const report = await runScheduleNow<ReconcileReport>(env.client, RECONCILE_SCHEDULE_ID);
    expect(report).toMatchObject({
      legalEntity: 'usmf',
      checked: 1,
      counts: { ...noDriftCounts(), orphan: 1 },
    });
    expect(report.drifts).toEqual([expect.objectContaining({ class: 'orphan', key: 'WO-GONE-2' })]);

    const { info } = await env.client.schedule.getHandle(RECONCILE_SCHEDULE_ID).describe();
    const run = env.client.workflow.getHandle(info.recentActions.at(-1)!.action.workflow.workflowId);
    const { currentDetails } = await run.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(currentDetails).toContain(
      '**Reconciliation of usmf**: 1 drift (1 orphan); 1 documents checked, 0 in flight',
    );
    expect(currentDetails).toContain('| orphan | 1 |');
    expect(currentDetails).toContain('| orphan | F&O sales order WO-GONE-2 |');
    expect(await (await run.describe()).staticSummary()).toBe(
      'Reconciles Field Service, F&O and the workflows; the last report is in the run’s details',
    );
  } finally {
    await env.client.schedule.getHandle(RECONCILE_SCHEDULE_ID).delete();
  }
});
