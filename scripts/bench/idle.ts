import type { Client } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { loadMappingProject } from '../../mappings/project/loader';
import { applyWatcherSchedules, resultOfRunAfter } from '../../client/schedules';
import { startWorkOrder } from '../../client/starters/work-order';
import type { Config } from '../../config/config';
import { inParallel } from './drive';
import type { ChildWorker } from './processes';
import { mb, round } from './report';
import type { SandboxClient } from './sandbox-client';
import { connectorCatalog } from '../../connectors/entities/catalog';

export interface IdleOptions {
  /** Work orders waiting for their invoice at the end (the first tenth are measured first). */
  workOrders: number;
  /** How long each measuring window lasts, in seconds. */
  windowSeconds: number;
  /** Interval of the watcher schedules during the windows (production default: 1 minute). */
  watchEvery: string;
  deadline: number;
}

export interface IdleWindow {
  waiting: number;
  windowSeconds: number;
  workerRssBytes: number | undefined;
  /** Requests per hour, extrapolated from the window, by service and entity set. */
  financePerHour: Record<string, number>;
  dataversePerHour: Record<string, number>;
  financeTotalPerHour: number;
  dataverseTotalPerHour: number;
}

async function countAwaiting(client: Client, taskQueue: string): Promise<number> {
  return (
    await client.workflow.count(
      `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running' AND IntegrationStage = 'AwaitingInvoice'`,
    )
  ).count;
}

/**
 * Idle cost: work orders waiting for their invoice. Starts a tenth of them, waits until they all wait,
 * applies the watcher schedules, lets the work order watcher catch up with the closes the workflows wrote,
 * and counts what a window costs Dataverse and F&O, and the worker's RSS; then the rest, and the same
 * window again. Detection requests per hour must not grow with the number
 * of waiting work orders.
 */
export async function measureIdle(
  client: Client,
  config: Config,
  sandbox: SandboxClient,
  worker: ChildWorker,
  numbers: readonly string[],
  options: IdleOptions,
  log: (message: string) => void,
): Promise<IdleWindow[]> {
  const windows: IdleWindow[] = [];
  const first = Math.max(1, Math.floor(numbers.length / 10));
  const batches = [numbers.slice(0, first), numbers.slice(first)].filter((batch) => batch.length > 0);
  let started = 0;
  let schedulesApplied = false;
  for (const batch of batches) {
    log(`idle: starting ${batch.length} work orders`);
    await inParallel(batch, 16, async (wo) => {
      await startWorkOrder(client, config, wo);
    });
    started += batch.length;
    for (;;) {
      const waiting = await countAwaiting(client, config.temporal.taskQueue);
      if (waiting >= started) break;
      if (Date.now() > options.deadline)
        throw new Error(`idle: only ${waiting} of ${started} await their invoice`);
      await delay(1000);
    }
    if (!schedulesApplied) {
      await applyWatcherSchedules(
        client,
        config,
        loadMappingProject(config.mappingProject, connectorCatalog()),
        {
          every: options.watchEvery,
          since: new Date(),
        },
      );
      schedulesApplied = true;
    }
    // The work order watcher first pages through the closes the workflows just wrote (once, a page per
    // many rows): that is the burst's cost. The window measures what waiting costs once it has caught up.
    log(`idle: ${started} work orders wait for their invoice; the work order watcher catches up`);
    for (let run = 0; run < 2; run++) {
      const { info } = await client.schedule.getHandle('work-order-watcher').describe();
      await resultOfRunAfter(client, 'work-order-watcher', info.numActionsTaken);
    }
    log(`idle: measuring ${options.windowSeconds} s`);
    await sandbox.resetStats();
    await delay(options.windowSeconds * 1000);
    const stats = await sandbox.stats();
    const perHour = (byEntitySet: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(byEntitySet).map(([set, count]) => [set, (count * 3600) / options.windowSeconds]),
      );
    windows.push({
      waiting: started,
      windowSeconds: options.windowSeconds,
      workerRssBytes: worker.rss(),
      financePerHour: perHour(stats.finance.byEntitySet),
      dataversePerHour: perHour(stats.dataverse.byEntitySet),
      financeTotalPerHour: (stats.finance.total * 3600) / options.windowSeconds,
      dataverseTotalPerHour: (stats.dataverse.total * 3600) / options.windowSeconds,
    });
  }
  return windows;
}

export function idleMarkdown(windows: IdleWindow[], watchEvery: string): string {
  const sets = (pick: (w: IdleWindow) => Record<string, number>) =>
    [...new Set(windows.flatMap((w) => Object.keys(pick(w))))].sort();
  return [
    `## Idle cost: work orders waiting for their invoice (watcher schedules every ${watchEvery})`,
    '',
    `| | ${windows.map((w) => `${w.waiting} waiting`).join(' | ')} |`,
    `| --- | ${windows.map(() => '---:').join(' | ')} |`,
    `| worker RSS | ${windows.map((w) => mb(w.workerRssBytes)).join(' | ')} |`,
    `| F&O requests per hour | ${windows.map((w) => round(w.financeTotalPerHour, 0)).join(' | ')} |`,
    ...sets((w) => w.financePerHour).map(
      (set) => `| — F&O ${set} | ${windows.map((w) => round(w.financePerHour[set] ?? 0, 0)).join(' | ')} |`,
    ),
    `| Dataverse requests per hour | ${windows.map((w) => round(w.dataverseTotalPerHour, 0)).join(' | ')} |`,
    ...sets((w) => w.dataversePerHour).map(
      (set) =>
        `| — Dataverse ${set} | ${windows.map((w) => round(w.dataversePerHour[set] ?? 0, 0)).join(' | ')} |`,
    ),
  ].join('\n');
}
