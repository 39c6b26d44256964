import type { Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { ReconcileInput } from '../activities/reconcile/contract';
import { joinsFor } from '../activities/reconcile/joins';
import type { Config } from '../config/config';
import type { MappingProject } from '../mappings/project/merge';
import { reconcile } from '../workflows';
import { type ApplyOutcome, describeSchedule, type ScheduleStatus, upsertSchedule } from './schedules';

export const RECONCILE_SCHEDULE_ID = 'reconcile';

/**
 * Creates the `reconcile` schedule (daily by default: intervals count from 1970, so it runs at 00:00 UTC),
 * or brings an existing one up to date keeping its input and paused state. Each run reports on the
 * configured legal entity; Temporal Web shows the last report as the run's current details and result.
 * A project without any flow reconcile checks gets none.
 */
export async function applyReconcileSchedule(
  client: Client,
  config: Config,
  project: MappingProject,
  { every = '1 day', paused = false }: { every?: Duration; paused?: boolean } = {},
): Promise<ApplyOutcome | undefined> {
  if (joinsFor(project).length === 0) return undefined;
  const input: ReconcileInput = {};
  return upsertSchedule(client, config, {
    scheduleId: RECONCILE_SCHEDULE_ID,
    workflowType: reconcile.name,
    summary: 'Reconciles Field Service, F&O and the workflows; the last report is in the run’s details',
    input,
    every,
    paused,
  });
}

/** The `reconcile` schedule as it is now; none for a project without any flow reconcile checks. */
export async function describeReconcileSchedule(
  client: Client,
  project: MappingProject,
): Promise<ScheduleStatus[]> {
  return joinsFor(project).length === 0 ? [] : [await describeSchedule(client, RECONCILE_SCHEDULE_ID)];
}
