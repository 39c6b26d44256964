import type { Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { type SyncInput, syncWatermarkAt } from '../activities/master-data/contract';
import { createMasterDataSyncs } from '../activities/master-data/syncs';
import type { Config } from '../config/config';
import { createConnectors } from '../connectors';
import type { MappingProject } from '../mappings/project/merge';
import { masterDataSync } from '../workflows';
import { type ApplyOutcome, describeSchedule, type ScheduleStatus, upsertSchedule } from './schedules';

export const syncScheduleId = (sync: string) => `sync-${sync}`;

/** The master-data syncs the mapping project has a task for, with what each does. */
export function projectSyncs(config: Config, project: MappingProject): Map<string, string> {
  const syncs = createMasterDataSyncs(config, createConnectors(config), project);
  return new Map([...syncs].map(([name, sync]) => [name, sync.summary]));
}

export interface SyncApplyOptions {
  every: Duration;
  /** Where a schedule created now starts reading; an existing schedule keeps its watermark. */
  since: Date;
  /** Only these syncs (by name); all of the project's by default. */
  only?: readonly string[];
  /** Create new schedules paused: they run only when triggered, until resumed. Existing ones keep their state. */
  paused?: boolean;
}

/**
 * Creates a schedule per master-data sync of the project (`sync-<name>`), or updates existing ones
 * keeping their watermarks, retry lists and paused state. Running it twice changes nothing.
 */
export async function applySyncSchedules(
  client: Client,
  config: Config,
  project: MappingProject,
  { every, since, only, paused }: SyncApplyOptions,
): Promise<Record<string, ApplyOutcome>> {
  const outcomes: Record<string, ApplyOutcome> = {};
  for (const [sync, summary] of projectSyncs(config, project)) {
    if (only && !only.includes(sync)) continue;
    const scheduleId = syncScheduleId(sync);
    const input: SyncInput = { scheduleId, sync, watermark: syncWatermarkAt(since), retry: [] };
    outcomes[scheduleId] = await upsertSchedule(client, config, {
      scheduleId,
      workflowType: masterDataSync.name,
      summary,
      input,
      every,
      paused,
    });
  }
  return outcomes;
}

/** The project's sync schedules as they are now, each with the watermark and retry list of its next run. */
export async function describeSyncSchedules(
  client: Client,
  config: Config,
  project: MappingProject,
): Promise<ScheduleStatus[]> {
  const statuses: ScheduleStatus[] = [];
  for (const sync of projectSyncs(config, project).keys()) {
    statuses.push(await describeSchedule(client, syncScheduleId(sync)));
  }
  return statuses;
}
