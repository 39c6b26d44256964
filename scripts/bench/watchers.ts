import { type Client, ScheduleOverlapPolicy } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { SETTLE_MS } from '../../activities/settle';
import { applyWatcherSchedules, resultOfRunAfter, type WatcherScheduleId } from '../../client/schedules';
import type { Config } from '../../config/config';
import { connectorCatalog } from '../../connectors/entities/catalog';
import { loadMappingProject } from '../../mappings/project/loader';

/** The interval `npm start` gives the watcher schedules (`scripts/start.ts`), the product default. */
export const PRODUCT_WATCH_EVERY = '1 minute';

/** The watcher schedules as `npm start` applies them (every watcher the mapping project needs). */
export class BenchWatchers {
  private constructor(
    private readonly client: Client,
    readonly scheduleIds: WatcherScheduleId[],
  ) {}

  /**
   * Creates the schedules, reading only what changes after `since` (the benchmark's own work orders,
   * created before, are not the watchers' to start). Paused schedules run only when `runOnce` asks.
   */
  static async apply(
    client: Client,
    config: Config,
    { every, since, paused }: { every: string; since: Date; paused: boolean },
  ): Promise<BenchWatchers> {
    const outcomes = await applyWatcherSchedules(
      client,
      config,
      loadMappingProject(config.mappingProject, connectorCatalog()),
      {
        every,
        since,
        paused,
      },
    );
    return new BenchWatchers(client, Object.keys(outcomes) as WatcherScheduleId[]);
  }

  /**
   * Runs one watcher now, after any run in progress, and waits for that run's end. It first lets the
   * last writes settle: a watcher leaves changes younger than `SETTLE_MS` to its next run.
   */
  async runOnce(scheduleId: WatcherScheduleId): Promise<void> {
    await delay(SETTLE_MS + 100);
    const schedule = this.client.schedule.getHandle(scheduleId);
    const before = (await schedule.describe()).info.numActionsTaken;
    await schedule.trigger(ScheduleOverlapPolicy.BUFFER_ONE);
    await resultOfRunAfter(this.client, scheduleId, before, { timeoutMs: 120_000 });
  }

  async pause(): Promise<void> {
    for (const id of this.scheduleIds) await this.client.schedule.getHandle(id).pause('bench: paused');
  }

  async resume(): Promise<void> {
    for (const id of this.scheduleIds) await this.client.schedule.getHandle(id).unpause('bench: running');
  }
}
