import { type Command, InvalidArgumentError } from 'commander';
import type { Config } from '../../config/config';
import { connectClient } from '../connection';
import { PROJECT_CHECKS } from '../../activities/project-checks';
import { loadMappingProjectOrExit } from '../../mappings/project/load-or-exit';
import { applyWatcherSchedules, describeWatcherSchedules, type ScheduleStatus } from '../schedules';
import { applySyncSchedules, describeSyncSchedules } from '../sync-schedules';
import { applyReconcileSchedule, describeReconcileSchedule } from '../reconcile-schedule';
import { applyDigestSchedule } from '../digest-schedule';
import { connectorCatalog } from '../../connectors/entities/catalog';

function parseDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('expected a date such as 2026-11-01');
  return date;
}

const when = (date: Date | undefined) => date?.toISOString() ?? '-';

export function registerSchedulesCommands(program: Command, loadConfig: () => Config): void {
  const schedules = program
    .command('schedules')
    .description('the Temporal Schedules that run the watchers and the master-data syncs');

  schedules
    .command('apply')
    .description('create the watcher and master-data sync schedules, or update them keeping their watermarks')
    .option('--every <interval>', 'how often each watcher runs, e.g. "1 minute" or "30s"', '1 minute')
    .option('--sync-every <interval>', 'how often each master-data sync runs', '15 minutes')
    .option('--reconcile-every <interval>', 'how often the reconcile schedule reports drift', '1 day')
    .option(
      '--since <date>',
      'where a newly created schedule starts reading (default: watchers now, syncs from the beginning)',
      parseDate,
    )
    .option(
      '--paused',
      'create new schedules paused (they run when triggered, until resumed in Temporal Web)',
    )
    .action(
      async (options: {
        every: string;
        syncEvery: string;
        reconcileEvery: string;
        since?: Date;
        paused?: boolean;
      }) => {
        const config = loadConfig();
        const project = loadMappingProjectOrExit(config.mappingProject, connectorCatalog(), PROJECT_CHECKS);
        const client = await connectClient(config);
        try {
          const watchers = await applyWatcherSchedules(client, config, project, {
            every: options.every,
            since: options.since ?? new Date(),
            paused: options.paused,
          });
          const state = (outcome: string) => (outcome === 'created' && options.paused ? ' (paused)' : '');
          for (const [scheduleId, outcome] of Object.entries(watchers)) {
            console.log(`${scheduleId}: ${outcome}${state(outcome)}, every ${options.every}`);
          }
          const syncs = await applySyncSchedules(client, config, project, {
            every: options.syncEvery,
            since: options.since ?? new Date(0),
            paused: options.paused,
          });
          for (const [scheduleId, outcome] of Object.entries(syncs)) {
            console.log(`${scheduleId}: ${outcome}${state(outcome)}, every ${options.syncEvery}`);
          }
          const reconcile = await applyReconcileSchedule(client, config, project, {
            every: options.reconcileEvery,
            paused: options.paused,
          });
          if (reconcile) console.log(`reconcile: ${reconcile}, every ${options.reconcileEvery}`);
          const digest = await applyDigestSchedule(client, config, { paused: options.paused });
          const { digest: at } = config.notifications;
          if (digest)
            console.log(`notification-digest: ${digest}${at ? `, daily at ${at.at} ${at.timeZone}` : ''}`);
        } finally {
          await client.connection.close();
        }
      },
    );

  schedules
    .command('list')
    .description('show each schedule: paused or not, next run and the position it resumes from')
    .action(async () => {
      const config = loadConfig();
      const project = loadMappingProjectOrExit(config.mappingProject, connectorCatalog(), PROJECT_CHECKS);
      const client = await connectClient(config);
      try {
        const watchers = await describeWatcherSchedules(client, project);
        const syncs = await describeSyncSchedules(client, config, project);
        for (const status of [
          ...watchers.map(({ watermark, ...rest }) => ({ ...rest, input: { watermark } })),
          ...syncs,
          ...(await describeReconcileSchedule(client, project)),
        ]) {
          console.log(describe(status));
        }
      } finally {
        await client.connection.close();
      }
    });
}

function describe(status: ScheduleStatus): string {
  if (!status.exists) return `${status.scheduleId}: not created (run "fsfo schedules apply")`;
  const { watermark, retry } = (status.input ?? {}) as { watermark?: unknown; retry?: string[] };
  return [
    `${status.scheduleId}: ${status.paused ? 'paused' : 'active'}, every ${(status.everyMs ?? 0) / 1000} s`,
    `  last run:  ${when(status.lastRun)}`,
    `  next run:  ${when(status.nextRun)}`,
    ...(watermark === undefined ? [] : [`  watermark: ${JSON.stringify(watermark)}`]),
    ...(retry?.length ? [`  to retry:  ${retry.join(', ')}`] : []),
  ].join('\n');
}
