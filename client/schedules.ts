import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleDescription,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { setTimeout as delay } from 'node:timers/promises';
import { invoiceWatermarkAt, type WatcherInput, workOrderWatermarkAt } from '../activities/watchers/contract';
import { hasAgreementInvoiceFlow, hasWorkOrderFlow } from '../activities/watchers/header-filter';
import type { Config } from '../config/config';
import type { MappingProject } from '../mappings/project/merge';
import { freeTextInvoiceWatcher, invoiceWatcher, workOrderWatcher } from '../workflows';

export const WATCHER_SCHEDULE_IDS = [
  'work-order-watcher',
  'invoice-watcher',
  'free-text-invoice-watcher',
] as const;
export type WatcherScheduleId = (typeof WATCHER_SCHEDULE_IDS)[number];

interface Watcher {
  workflowType: string;
  /** The first run's input: where a watcher created now starts reading (none for one without a watermark). */
  inputAt(scheduleId: WatcherScheduleId, since: Date): unknown;
  summary: string;
  /** The flows it serves: a project without them gets no such watcher. */
  serves(project: MappingProject): boolean;
}

const watchers: Record<WatcherScheduleId, Watcher> = {
  'work-order-watcher': {
    workflowType: workOrderWatcher.name,
    inputAt: (scheduleId, since) => ({ scheduleId, watermark: workOrderWatermarkAt(since) }),
    summary: 'Starts or signals the workflows of work orders changed in Field Service',
    serves: hasWorkOrderFlow,
  },
  'invoice-watcher': {
    workflowType: invoiceWatcher.name,
    inputAt: (scheduleId, since) => ({ scheduleId, watermark: invoiceWatermarkAt(since) }),
    summary: 'Signals invoicePosted for sales invoices posted in F&O',
    serves: hasWorkOrderFlow,
  },
  'free-text-invoice-watcher': {
    workflowType: freeTextInvoiceWatcher.name,
    inputAt: () => undefined,
    summary: 'Signals freeTextInvoicePosted to agreement invoices whose F&O free text invoice is posted',
    serves: hasAgreementInvoiceFlow,
  },
};

export interface ApplyOptions {
  every: Duration;
  /** Where a schedule created now starts reading; an existing schedule keeps its watermark. */
  since: Date;
  /** Only these watchers; all the project's by default. */
  only?: readonly WatcherScheduleId[];
  /** Create new schedules paused: they run only when triggered, until resumed. Existing ones keep their state. */
  paused?: boolean;
}

export type ApplyOutcome = 'created' | 'updated';

export interface ScheduledWorkflow {
  scheduleId: string;
  workflowType: string;
  summary: string;
  /** The first run's input (none when undefined); an existing schedule keeps the input its runs have saved since. */
  input: unknown;
  every: Duration;
  /** Create it paused (it runs only when triggered, until resumed); an existing one keeps its state. */
  paused?: boolean;
}

/**
 * Creates a schedule that starts one workflow (ID = schedule ID) at an interval, never two at once,
 * or brings an existing one up to date (interval, task queue, overlap SKIP) keeping its input and
 * paused state.
 */
export async function upsertSchedule(
  client: Client,
  config: Config,
  { scheduleId, workflowType, summary, input, every, paused = false }: ScheduledWorkflow,
): Promise<ApplyOutcome> {
  const spec = { intervals: [{ every }] };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' };
  const action = {
    type: 'startWorkflow' as const,
    workflowType,
    workflowId: scheduleId,
    taskQueue: config.temporal.taskQueue,
    staticSummary: summary,
  };
  const args = input === undefined ? [] : [input];
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      policies,
      action: { ...action, args },
      state: { paused, note: paused ? 'created paused: runs when triggered, until resumed' : undefined },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({
      ...previous,
      spec,
      policies,
      action: { ...action, args: previous.action.args ?? args },
    }));
    return 'updated';
  }
}

/**
 * Creates the watcher schedules the project's flows need, or brings existing ones up to date (interval,
 * task queue, overlap SKIP) while keeping their watermarks and paused state. Running it twice changes
 * nothing. The work order and invoice watchers serve work order workflows, the free text invoice
 * watcher agreement invoice workflows: a project without the template gets no watcher for it.
 */
export async function applyWatcherSchedules(
  client: Client,
  config: Config,
  project: MappingProject,
  options: ApplyOptions,
): Promise<Partial<Record<WatcherScheduleId, ApplyOutcome>>> {
  const outcomes: Partial<Record<WatcherScheduleId, ApplyOutcome>> = {};
  for (const scheduleId of WATCHER_SCHEDULE_IDS) {
    const { workflowType, inputAt, summary, serves } = watchers[scheduleId];
    if (!serves(project) || (options.only && !options.only.includes(scheduleId))) continue;
    outcomes[scheduleId] = await upsertSchedule(client, config, {
      scheduleId,
      workflowType,
      summary,
      input: inputAt(scheduleId, options.since),
      every: options.every,
      paused: options.paused,
    });
  }
  return outcomes;
}

export interface WatcherScheduleStatus extends Omit<ScheduleStatus, 'input'> {
  scheduleId: WatcherScheduleId;
  watermark?: unknown;
}

export interface ScheduleStatus {
  scheduleId: string;
  /** False when `fsfo schedules apply` has not created it yet. */
  exists: boolean;
  paused?: boolean;
  everyMs?: number;
  nextRun?: Date;
  lastRun?: Date;
  /** The input its next run starts from (watermark and, for syncs, the records to retry). */
  input?: unknown;
}

/** A schedule as it is now, with the input its next run starts from. */
export async function describeSchedule(client: Client, scheduleId: string): Promise<ScheduleStatus> {
  let description: ScheduleDescription;
  try {
    description = await client.schedule.getHandle(scheduleId).describe();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    return { scheduleId, exists: false };
  }
  return {
    scheduleId,
    exists: true,
    paused: description.state.paused,
    everyMs: description.spec.intervals?.[0]?.every,
    nextRun: description.info.nextActionTimes[0],
    lastRun: description.info.recentActions.at(-1)?.takenAt,
    input: description.action.args?.[0],
  };
}

/** The watcher schedules (those the project needs, if given) as they are now, each with the watermark its next run starts from. */
export async function describeWatcherSchedules(
  client: Client,
  project?: MappingProject,
): Promise<WatcherScheduleStatus[]> {
  const statuses: WatcherScheduleStatus[] = [];
  for (const scheduleId of WATCHER_SCHEDULE_IDS) {
    if (project && !watchers[scheduleId].serves(project)) continue;
    const { input, ...status } = await describeSchedule(client, scheduleId);
    statuses.push({
      ...status,
      scheduleId,
      watermark: (input as WatcherInput<unknown> | undefined)?.watermark,
    });
  }
  return statuses;
}

/** How long `runScheduleNow` waits for the run by default: far longer than a sync of 10,000 records. */
export const RUN_TIMEOUT_MS = 30 * 60_000;

export interface RunWait {
  /** Called every second while the run runs, with the seconds since the wait began. */
  tick?: (elapsedSeconds: number) => void;
  /** How long to wait for the run to finish; the run itself goes on after a timeout. */
  timeoutMs?: number;
}

/** The run a caller waits for did not finish in time (no worker polls its task queue, or it is very slow). */
export class ScheduleRunTimeout extends Error {
  constructor(scheduleId: string, waitedMs: number, workflowId: string | undefined) {
    const run = workflowId ? `its run ${workflowId} did not finish` : 'no run started';
    super(
      `Schedule ${scheduleId}: ${run} within ${waitedMs / 1000} s. The run goes on in Temporal; ` +
        'check that a worker polls its task queue (fsfo doctor), then look at it in Temporal Web.',
    );
    this.name = 'ScheduleRunTimeout';
  }
}

/**
 * Starts a run of the schedule now (from the input its runs have saved) and returns that run's result
 * through any continue-as-new; gives up after `timeoutMs` (default `RUN_TIMEOUT_MS`).
 */
export async function runScheduleNow<T>(client: Client, scheduleId: string, wait: RunWait = {}): Promise<T> {
  const schedule = client.schedule.getHandle(scheduleId);
  const before = (await schedule.describe()).info.numActionsTaken;
  await schedule.trigger();
  return resultOfRunAfter<T>(client, scheduleId, before, wait);
}

/**
 * Waits for the schedule's run after its `before`th action and returns that run's result; throws
 * `ScheduleRunTimeout` when none has finished after `timeoutMs` (default `RUN_TIMEOUT_MS`).
 */
export async function resultOfRunAfter<T>(
  client: Client,
  scheduleId: string,
  before: number,
  { tick = () => undefined, timeoutMs = RUN_TIMEOUT_MS }: RunWait = {},
): Promise<T> {
  const schedule = client.schedule.getHandle(scheduleId);
  const started = Date.now();
  const left = () => Math.max(0, started + timeoutMs - Date.now());
  let run: { workflowId: string; result: Promise<T> } | undefined;
  while (left() > 0) {
    if (!run) {
      const { info } = await schedule.describe();
      if (info.numActionsTaken <= before) {
        await delay(Math.min(200, left()));
        continue;
      }
      const { workflowId, firstExecutionRunId } = info.recentActions.at(-1)!.action.workflow;
      const handle = client.workflow.getHandle(workflowId, undefined, { firstExecutionRunId });
      run = { workflowId, result: handle.result() as Promise<T> };
      // Observed, so giving up below leaves no unhandled rejection behind.
      run.result.catch(() => undefined);
    }
    const finished = await Promise.race([
      run.result.then(() => true),
      delay(Math.min(1000, left())).then(() => false),
    ]);
    if (finished) return run.result;
    tick(Math.round((Date.now() - started) / 1000));
  }
  throw new ScheduleRunTimeout(scheduleId, timeoutMs, run?.workflowId);
}
