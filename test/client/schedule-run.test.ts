import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { resultOfRunAfter, runScheduleNow, ScheduleRunTimeout } from '../../client/schedules';
import { connectToTestServer, uniqueTaskQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await connectToTestServer();
});
afterAll(() => env?.teardown());

/** A paused schedule whose runs go to a task queue no worker polls: a run starts and never finishes. */
async function unpolledSchedule() {
  const scheduleId = `unpolled-${randomUUID()}`;
  return env.client.schedule.create({
    scheduleId,
    spec: { intervals: [{ every: '365 days' }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'doctor',
      workflowId: scheduleId,
      taskQueue: uniqueTaskQueue('unpolled'),
    },
    state: { paused: true },
  });
}

test('waiting for a schedule run gives up at its deadline, naming the schedule, the run and how long it waited', async () => {
  const schedule = await unpolledSchedule();
  try {
    const waiting = runScheduleNow(env.client, schedule.scheduleId, { timeoutMs: 1500 });
    await expect(waiting).rejects.toThrow(ScheduleRunTimeout);
    // The schedule names its runs `<schedule id>-<time>`.
    await expect(waiting).rejects.toThrow(
      new RegExp(
        `^Schedule ${schedule.scheduleId}: its run ${schedule.scheduleId}-\\S+ did not finish within 1.5 s`,
      ),
    );
  } finally {
    for (const { action } of (await schedule.describe()).info.recentActions) {
      await env.client.workflow.getHandle(action.workflow.workflowId).terminate('test done');
    }
    await schedule.delete();
  }
});

test('waiting for a run that never starts gives up too', async () => {
  const schedule = await unpolledSchedule();
  try {
    // The schedule is paused and nobody triggers it: its first action never comes.
    await expect(resultOfRunAfter(env.client, schedule.scheduleId, 0, { timeoutMs: 1000 })).rejects.toThrow(
      `Schedule ${schedule.scheduleId}: no run started within 1 s`,
    );
  } finally {
    await schedule.delete();
  }
});
