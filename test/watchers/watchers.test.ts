import { type Client, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { SETTLE_MS } from '../../activities/settle';
import {
  type InvoiceWatermark,
  type WorkOrderWatermark,
  workOrderWatermarkAt,
} from '../../activities/watchers/contract';
import { createWatcherActivities } from '../../activities/watchers';
import { registerSchedulesCommands } from '../../client/commands/schedules';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import {
  applyWatcherSchedules,
  describeWatcherSchedules,
  runScheduleNow,
  type WatcherScheduleId,
} from '../../client/schedules';
import { WorkOrderSystemStatus } from '../../connectors/entities/dataverse';
import { loadMappingProject } from '../../mappings/project/loader';
import { bundleWorkflows, connectToTestServer, uniqueTaskQueue } from '../support/temporal';
import { workOrderWatcher } from '../../workflows';
import type { InvoiceWatcherResult } from '../../workflows/watchers/invoice-watcher';
import { signalInputs, signalsOf, startSandboxStack, type SandboxStack } from './support/stack';
import { connectorCatalog } from '../../connectors/entities/catalog';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: SandboxStack;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
  stack = await startSandboxStack('watchers');
});
afterAll(async () => {
  for (const scheduleId of WATCHERS) {
    await env.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
  }
  await stack?.close();
  await env?.teardown();
});

/**
 * The watchers run on the stack's task queue; the work order workflows they start go to a queue
 * no worker polls, so each stays as the watcher left it and its history shows every signal. `now` is
 * the watchers' clock (which changes have settled).
 */
async function withWatcherWorker(
  run: (client: Client) => Promise<void>,
  now: () => number = Date.now,
): Promise<void> {
  const workOrderConfig = {
    ...stack.config,
    temporal: { ...stack.config.temporal, taskQueue: uniqueTaskQueue('unpolled-work-orders') },
  };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace,
    taskQueue: stack.config.temporal.taskQueue,
    workflowBundle,
    activities: createWatcherActivities(
      workOrderConfig,
      stack.connectors,
      loadMappingProject(stack.config.mappingProject, connectorCatalog()),
      now,
    ),
  });
  await worker.runUntil(run(env.client));
}

/** Triggers one run of the schedule and returns that run's result. */
function runSchedule<T>(client: Client, scheduleId: WatcherScheduleId): Promise<T> {
  return runScheduleNow<T>(client, scheduleId, { timeoutMs: 50_000 });
}

/** The work order watcher leaves changes younger than `SETTLE_MS` to its next run: let them settle. */
const settle = () => delay(SETTLE_MS + 100);

/** Pins the second Dataverse stamps on `modifiedon` (`null`: the real clock again). */
async function pinDataverseClock(pinnedAt: Date | null): Promise<void> {
  const response = await fetch(`${stack.sandboxes.urls.dataverse}/_sandbox/clock`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pinnedAt: pinnedAt?.toISOString() ?? null }),
  });
  if (!response.ok) throw new Error(`PUT clock: ${response.status} ${await response.text()}`);
}

async function watermarkOf(client: Client, scheduleId: WatcherScheduleId): Promise<unknown> {
  const statuses = await describeWatcherSchedules(client);
  return statuses.find((status) => status.scheduleId === scheduleId)?.watermark;
}

/** The watchers of work order workflows; the free text invoice watcher has its own test file. */
const WATCHERS: readonly WatcherScheduleId[] = ['work-order-watcher', 'invoice-watcher'];
// Created paused: every run is triggered by the test.
const schedulesOptions = (since: Date) => ({ every: '365 days', since, paused: true, only: WATCHERS });
const ofWatchers = async (client: Client) =>
  (await describeWatcherSchedules(client)).filter((status) => WATCHERS.includes(status.scheduleId));

describe('work order watcher', () => {
  const prefix = `WO-${randomUUID().slice(0, 6)}`;
  const completed = `${prefix}-1`;
  const scheduled = `${prefix}-2`;
  const unscheduled = `${prefix}-3`;
  const handle = (name: string) => env.client.workflow.getHandle(workOrderWorkflowId(name));

  test('starts the workflows of eligible work orders once, and again only after a change', async () => {
    const since = new Date(Date.now() - 1000);
    await stack.createWorkOrder(completed, WorkOrderSystemStatus.OpenCompleted);
    await stack.createWorkOrder(scheduled, WorkOrderSystemStatus.OpenScheduled);
    await stack.createWorkOrder(unscheduled, WorkOrderSystemStatus.OpenUnscheduled);

    await withWatcherWorker(async (client) => {
      expect(
        await applyWatcherSchedules(
          client,
          stack.config,
          loadMappingProject('standard', connectorCatalog()),
          schedulesOptions(since),
        ),
      ).toEqual({
        'work-order-watcher': 'created',
        'invoice-watcher': 'created',
      });

      await settle();
      const first = await runSchedule<{ startedOrSignalled: number }>(client, 'work-order-watcher');
      expect(first.startedOrSignalled).toBe(2);
      expect(await signalsOf(handle(completed))).toEqual(['workOrderChanged']);
      expect(await signalsOf(handle(scheduled))).toEqual(['workOrderChanged']);
      // The mapping project's header filter leaves unscheduled work orders out.
      await expect(handle(unscheduled).describe()).rejects.toThrow(WorkflowNotFoundError);
      const watermark = (await watermarkOf(client, 'work-order-watcher')) as WorkOrderWatermark;
      expect(watermark.workOrderNumber).toBe(scheduled); // the last one handled
      expect(Date.parse(watermark.modifiedOn)).toBeGreaterThan(since.getTime());

      const second = await runSchedule<{ startedOrSignalled: number }>(client, 'work-order-watcher');
      expect(second.startedOrSignalled).toBe(0);
      expect(await signalsOf(handle(completed))).toEqual(['workOrderChanged']);
      expect(await watermarkOf(client, 'work-order-watcher')).toEqual(watermark);
    });
  });

  test('a paused schedule does not run by itself; a run catches up from its watermark, without duplicates', async () => {
    await withWatcherWorker(async (client) => {
      const schedule = client.schedule.getHandle('work-order-watcher');
      const before = await schedule.describe();
      expect(before.state.paused).toBe(true);
      await stack.touchWorkOrder(completed);
      await settle();
      expect((await schedule.describe()).info.numActionsTaken).toBe(before.info.numActionsTaken);

      const run = await runSchedule<{ startedOrSignalled: number }>(client, 'work-order-watcher');
      expect(run.startedOrSignalled).toBe(1);
      expect(await signalsOf(handle(completed))).toEqual(['workOrderChanged', 'workOrderChanged']);
      expect(await signalsOf(handle(scheduled))).toEqual(['workOrderChanged']);
      expect(((await watermarkOf(client, 'work-order-watcher')) as WorkOrderWatermark).workOrderNumber).toBe(
        completed,
      );
    });
  });

  test('two work orders written in one second, the watcher run between them: both start their workflow', async () => {
    // Dataverse stamps modifiedon to the second. Its clock pinned, both writes carry one second, after the
    // watermark; the watcher's clock says when it runs. The later write sorts first within the second.
    const second = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    const [written, writtenLater] = [`${prefix}-same-2`, `${prefix}-same-1`];
    let now = second + 500;
    await pinDataverseClock(new Date(second));
    try {
      await withWatcherWorker(
        async (client) => {
          await stack.createWorkOrder(written);
          await runSchedule(client, 'work-order-watcher'); // half a second after the write
          await stack.createWorkOrder(writtenLater);
          now = second + SETTLE_MS + 1000;
          await runSchedule(client, 'work-order-watcher');
        },
        () => now,
      );
    } finally {
      await pinDataverseClock(null);
    }
    expect(await signalsOf(handle(written))).toEqual(['workOrderChanged']);
    expect(await signalsOf(handle(writtenLater))).toEqual(['workOrderChanged']);
  });

  test('applying the schedules again updates them and keeps their watermarks', async () => {
    const before = await ofWatchers(env.client);
    const outcomes = await applyWatcherSchedules(
      env.client,
      stack.config,
      loadMappingProject('standard', connectorCatalog()),
      {
        every: '2 minutes',
        since: new Date(),
        only: WATCHERS,
      },
    );
    expect(outcomes).toEqual({ 'work-order-watcher': 'updated', 'invoice-watcher': 'updated' });
    const after = await ofWatchers(env.client);
    expect(after.map((status) => status.watermark)).toEqual(before.map((status) => status.watermark));
    expect(after.map((status) => status.everyMs)).toEqual([120_000, 120_000]);
    expect(after.map((status) => status.paused)).toEqual([true, true]); // still the test's to run
  });

  test('fsfo schedules list shows each watcher, its interval and the watermark it resumes from', async () => {
    const program = new Command('fsfo').exitOverride();
    registerSchedulesCommands(program, () => stack.config);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await program.parseAsync(['schedules', 'list'], { from: 'user' });
      const printed = log.mock.calls.map((call) => call.join(' ')).join('\n');
      const watermark = (await watermarkOf(env.client, 'work-order-watcher')) as WorkOrderWatermark;
      expect(printed).toContain('work-order-watcher: paused, every 120 s');
      expect(printed).toContain(`  watermark: ${JSON.stringify(watermark)}`);
      expect(printed).toMatch(
        /invoice-watcher: paused, every 120 s\n {2}last run: +-\n {2}next run: +\d{4}-/,
      );
    } finally {
      log.mockRestore();
    }
  });

  test('a watcher run by hand, with no schedule to keep its watermark in, fails instead of retrying', async () => {
    const since = new Date(Date.now() - 1000);
    const number = `${prefix}-by-hand`;
    await stack.createWorkOrder(number);
    await settle();
    await withWatcherWorker(async (client) => {
      const run = client.workflow.execute(workOrderWatcher, {
        workflowId: `watcher-by-hand-${prefix}`,
        taskQueue: stack.config.temporal.taskQueue,
        args: [{ scheduleId: 'no-such-schedule', watermark: workOrderWatermarkAt(since) }],
      });
      const failure = await run.catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause).toMatchObject({
        cause: { type: 'NoSchedule', message: 'no schedule no-such-schedule to keep the watermark in' },
      });
    });
    await handle(number).terminate('test done');
  });

  afterAll(async () => {
    for (const name of [completed, scheduled, `${prefix}-same-1`, `${prefix}-same-2`]) {
      await handle(name)
        .terminate('test done')
        .catch(() => undefined);
    }
  });
});

describe('invoice watcher', () => {
  const prefix = `SO-${randomUUID().slice(0, 6)}`;
  const [ours, notOurs, oursLater, backdated, retail, afterRetail] = [1, 2, 3, 4, 5, 6].map(
    (n) => `${prefix}-${n}`,
  ) as [string, string, string, string, string, string];
  const handle = (name: string) => env.client.workflow.getHandle(workOrderWorkflowId(name));
  const workOrderConfig = () => ({
    ...stack.config,
    temporal: { ...stack.config.temporal, taskQueue: `unpolled-${prefix}` },
  });

  beforeAll(async () => {
    // F&O dates invoices without a time of day: the watcher starts at a pinned 15:00 UTC, the invoices carry pinned dates.
    await env.client.schedule
      .getHandle('invoice-watcher')
      .delete()
      .catch(() => undefined);
    await applyWatcherSchedules(
      env.client,
      stack.config,
      loadMappingProject('standard', connectorCatalog()),
      schedulesOptions(new Date('2026-03-01T15:00:00Z')),
    );
  });

  test('signals invoicePosted once per posted invoice of our work orders and skips the others', async () => {
    await withWatcherWorker(async (client) => {
      for (const number of [ours, notOurs, oursLater]) await stack.createSalesOrder(number);
      await startWorkOrder(client, workOrderConfig(), ours);
      await startWorkOrder(client, workOrderConfig(), oursLater);
      // Dated the day the watcher started, posted before it started.
      const invoice = await stack.postInvoice(ours, '2026-03-01');
      const otherInvoice = await stack.postInvoice(notOurs, '2026-04-02');

      const first = await runSchedule<InvoiceWatcherResult>(client, 'invoice-watcher');
      expect(first).toMatchObject({ signalled: 1, notOurs: 1 });
      expect(await signalInputs(client, handle(ours), 'invoicePosted')).toEqual([
        { invoiceNumber: invoice, legalEntity: 'usmf' },
      ]);
      const watermark = (await watermarkOf(client, 'invoice-watcher')) as InvoiceWatermark;
      expect(watermark).toMatchObject({
        invoiceDate: '2026-04-02T00:00:00.000Z',
        key: `usmf/${otherInvoice}`,
        counted: { days: { '2026-03-01': 1, '2026-04-02': 1 } },
      });

      expect(await runSchedule<InvoiceWatcherResult>(client, 'invoice-watcher')).toMatchObject({
        signalled: 0,
        notOurs: 0,
      });

      // Posted later the same day: read after the last invoice of that date.
      const laterInvoice = await stack.postInvoice(oursLater, '2026-04-02');
      expect(await runSchedule<InvoiceWatcherResult>(client, 'invoice-watcher')).toMatchObject({
        signalled: 1,
        notOurs: 0,
      });
      expect(await signalInputs(client, handle(oursLater), 'invoicePosted')).toEqual([
        { invoiceNumber: laterInvoice, legalEntity: 'usmf' },
      ]);
      expect(await signalsOf(handle(ours))).toEqual(['workOrderChanged', 'invoicePosted']);
    });
  });

  test('an invoice posted with an earlier date, or in a company that sorts before one read that date, is signalled', async () => {
    await withWatcherWorker(async (client) => {
      await stack.createSalesOrder(backdated);
      await startWorkOrder(client, workOrderConfig(), backdated);
      const backdatedInvoice = await stack.postInvoice(backdated, '2026-03-10'); // 23 days before the newest
      expect(await runSchedule<InvoiceWatcherResult>(client, 'invoice-watcher')).toMatchObject({
        signalled: 1,
      });
      expect(await signalInputs(client, handle(backdated), 'invoicePosted')).toEqual([
        { invoiceNumber: backdatedInvoice, legalEntity: 'usmf' },
      ]);

      // usrt's invoice of 2026-04-03 is read first; usmf's of the same date sorts before it.
      await stack.createSalesOrder(retail, 'usrt');
      await stack.postInvoice(retail, '2026-04-03', 'usrt');
      expect(await runSchedule<InvoiceWatcherResult>(client, 'invoice-watcher')).toMatchObject({
        signalled: 0,
        notOurs: 1,
      });
      await stack.createSalesOrder(afterRetail);
      await startWorkOrder(client, workOrderConfig(), afterRetail);
      const afterRetailInvoice = await stack.postInvoice(afterRetail, '2026-04-03');
      expect(await runSchedule<InvoiceWatcherResult>(client, 'invoice-watcher')).toMatchObject({
        signalled: 1,
      });
      expect(await signalInputs(client, handle(afterRetail), 'invoicePosted')).toEqual([
        { invoiceNumber: afterRetailInvoice, legalEntity: 'usmf' },
      ]);
    });
  });

  test('a run with nothing new costs F&O one read and one count', async () => {
    await withWatcherWorker(async (client) => {
      const finance = stack.sandboxes.urls.finance;
      await fetch(`${finance}/_sandbox/stats`, { method: 'DELETE' });
      expect(await runSchedule<InvoiceWatcherResult>(client, 'invoice-watcher')).toMatchObject({
        signalled: 0,
        notOurs: 0,
      });
      const stats = (await (await fetch(`${finance}/_sandbox/stats`)).json()) as {
        byEntitySet: Record<string, number>;
      };
      expect(stats.byEntitySet).toEqual({ SalesInvoiceHeadersV2: 1, 'SalesInvoiceHeadersV2/$count': 1 });
    });
  });

  afterAll(async () => {
    for (const name of [ours, oursLater, backdated, afterRetail]) {
      await handle(name)
        .terminate('test done')
        .catch(() => undefined);
    }
  });
});
