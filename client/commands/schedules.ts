import { type Command, InvalidArgumentError } from 'commander';
import type { Config } from '../../config/config';
import { connectClient } from '../connection';
import { applyWatcherSchedules, describeWatcherSchedules } from '../schedules';

function parseDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('expected a date such as 2026-11-01');
  return date;
}

const when = (date: Date | undefined) => date?.toISOString() ?? '-';

export function registerSchedulesCommands(program: Command, loadConfig: () => Config): void {
  const schedules = program
    .command('schedules')
    .description('the Temporal Schedules that run the work order and invoice watchers');

  schedules
    .command('apply')
    .description('create the watcher schedules, or update them keeping their watermarks (idempotent)')
    .option('--every <interval>', 'how often each watcher runs, e.g. "1 minute" or "30s"', '1 minute')
    .option('--since <date>', 'where a newly created watcher starts reading (default: now)', parseDate)
    .action(async (options: { every: string; since?: Date }) => {
      const config = loadConfig();
      const client = await connectClient(config);
      try {
        const outcomes = await applyWatcherSchedules(client, config, {
          every: options.every,
          since: options.since ?? new Date(),
        });
        for (const [scheduleId, outcome] of Object.entries(outcomes)) {
          console.log(`${scheduleId}: ${outcome}, every ${options.every}`);
        }
      } finally {
        await client.connection.close();
      }
    });

  schedules
    .command('list')
    .description('show each watcher schedule: paused or not, next run and the watermark it resumes from')
    .action(async () => {
      const client = await connectClient(loadConfig());
      try {
        for (const status of await describeWatcherSchedules(client)) {
          if (!status.exists) {
            console.log(`${status.scheduleId}: not created (run "fsfo schedules apply")`);
            continue;
          }
          console.log(
            [
              `${status.scheduleId}: ${status.paused ? 'paused' : 'active'}, every ${(status.everyMs ?? 0) / 1000} s`,
              `  last run:  ${when(status.lastRun)}`,
              `  next run:  ${when(status.nextRun)}`,
              `  watermark: ${JSON.stringify(status.watermark)}`,
            ].join('\n'),
          );
        }
      } finally {
        await client.connection.close();
      }
    });
}
