import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import type { StartOutcomes } from '../../activities/watchers/contract';
import { createWatcherActivities } from '../../activities/watchers';
import { workOrderWorkflowId } from '../../client/starters/work-order';
import { loadConfig } from '../../config/config';
import { createConnectors } from '../../connectors';
import { loadMappingProject } from '../../mappings/project/loader';
import { connectToTestServer, uniqueTaskQueue } from '../support/temporal';
import { signalsOf } from './support/stack';
import { connectorCatalog } from '../../connectors/entities/catalog';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await connectToTestServer();
});
afterAll(() => env?.teardown());

test('a retried start resumes after the work orders the failed attempt handled: none is signalled twice', async () => {
  // No worker polls this queue: each workflow stays as the activity left it.
  const config = loadConfig({
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue('unpolled-resume'),
  });
  const activities = createWatcherActivities(
    config,
    createConnectors(config),
    loadMappingProject('standard', connectorCatalog()),
  );
  const [handledBefore, second, third] = [1, 2, 3].map((n) => `WO-${randomUUID().slice(0, 6)}-${n}`);

  // The second attempt of an activity whose first attempt started the first work order, then failed.
  const retry = new MockActivityEnvironment(
    {
      attempt: 2,
      heartbeatDetails: {
        next: 1,
        tally: { startedOrSignalled: 1, alreadyCompleted: 0, failed: [] } satisfies StartOutcomes,
      },
    },
    { client: env.client },
  );
  const heartbeats: unknown[] = [];
  retry.on('heartbeat', (details: unknown) => heartbeats.push(details));

  const outcomes = await retry.run(activities.startWorkOrders, [handledBefore, second, third]);

  expect(outcomes).toEqual({ startedOrSignalled: 3, alreadyCompleted: 0, failed: [] });
  await expect(env.client.workflow.getHandle(workOrderWorkflowId(handledBefore)).describe()).rejects.toThrow(
    'not found',
  );
  for (const number of [second, third]) {
    const handle = env.client.workflow.getHandle(workOrderWorkflowId(number));
    expect(await signalsOf(handle)).toEqual(['workOrderChanged']);
    await handle.terminate('test done');
  }
  expect(heartbeats.at(-1)).toEqual({ next: 3, tally: outcomes });
});
