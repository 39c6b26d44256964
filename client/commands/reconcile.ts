import type { Command } from 'commander';
import { z } from 'zod';
import { PROJECT_CHECKS } from '../../activities/project-checks';
import { totalDrifts } from '../../activities/reconcile/drift';
import type { Config } from '../../config/config';
import { loadMappingProjectOrExit } from '../../mappings/project/load-or-exit';
import { connectClient } from '../connection';
import { progressReporter } from '../reconcile/progress';
import { reconcileInProcess, ReconcileStopped } from '../reconcile/run';
import { describeDrift, describeReport } from '../reconcile/text-report';
import { connectorCatalog } from '../../connectors/entities/catalog';

/** A date (`2026-11-01`) or a date-time with its offset (`2026-11-01T08:00:00Z`); nothing else passes for one. */
const sinceSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((value) => new Date(value));

interface ReconcileOptions {
  since?: string;
  legalEntity?: string;
  json?: boolean;
  fix?: boolean;
}

/** Exit codes: 0 no drift, 1 drift found, 2 bad input or a service that cannot be reached (nothing written). */
export function registerReconcileCommand(program: Command, loadConfig: () => Config): void {
  program
    .command('reconcile')
    .description(
      'compare Field Service, F&O and the workflows and list every drift with its fix; --fix starts or ' +
        'signals the workflows that repair what can be repaired',
    )
    .option('--since <date>', 'only documents changed in Field Service since this date, e.g. 2026-11-01')
    .option('--legal-entity <id>', 'the F&O legal entity (default: FNO_COMPANY)')
    .option('--json', 'print the report as JSON')
    .option(
      '--fix',
      'start or signal the workflows that repair what can be repaired; list what needs a person',
    )
    .action(async (options: ReconcileOptions) => {
      const since = options.since === undefined ? undefined : sinceSchema.safeParse(options.since);
      if (since && !since.success) {
        return stop(`--since ${JSON.stringify(options.since)} is not a date: give one such as 2026-11-01`);
      }
      const config = loadConfig();
      const project = loadMappingProjectOrExit(config.mappingProject, connectorCatalog(), PROJECT_CHECKS);
      // The message names the address, the reason and what to check.
      const client = await connectClient(config).catch((err: unknown) =>
        stop(err instanceof Error ? err.message : String(err)),
      );
      const progress = progressReporter();
      let repairable = 0;
      try {
        const output = await reconcileInProcess(client, config, project, {
          since: since?.data,
          legalEntity: options.legalEntity,
          fix: options.fix,
          // The text report prints each drift as it comes; only JSON (and --fix) needs them all at the end.
          listDrifts: options.json === true,
          onProgress: (state) => progress.update(state),
          onDrift: (drift) => {
            if (drift.fix.repair) repairable++;
            if (options.json) return;
            progress.clear();
            console.log(`${describeDrift(drift)}\n`);
          },
        });
        progress.clear();
        console.log(
          options.json ? JSON.stringify(output, null, 2) : describeReport(output, repairable, output.repairs),
        );
        process.exitCode = totalDrifts(output.counts) > 0 ? 1 : 0;
      } catch (err) {
        progress.clear();
        if (err instanceof ReconcileStopped) stop(err.message);
        throw err;
      } finally {
        await client.connection.close();
      }
    });
}

function stop(message: string): never {
  console.error(message);
  process.exit(2);
}
