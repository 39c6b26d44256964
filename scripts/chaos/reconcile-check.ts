import type { Client } from '@temporalio/client';
import { totalDrifts } from '../../activities/reconcile/drift';
import { reconcileInProcess, ReconcileStopped } from '../../client/reconcile/run';
import type { Config } from '../../config/config';
import { loadMappingProject } from '../../mappings/project/loader';
import type { Check } from './checks';
import { connectorCatalog } from '../../connectors/entities/catalog';

/** Past every join's in-flight window (30 minutes at the most), so what the run wrote is judged. */
const JUDGED_AFTER_MS = 60 * 60_000;

export interface ReconcileFigures {
  seconds: number;
  checked: number;
  inFlight: number;
  counts: Record<string, number>;
}

/**
 * `fsfo reconcile --since <run start> --legal-entity <company>` through the function the CLI runs, once
 * every workflow has closed and the faults are off: every drift fails the check, listed. The report is
 * taken as of after the in-flight window (as the reconcile tests do), so the documents the run has just
 * written are judged, not counted in flight; a run in which fewer documents than work orders were judged
 * fails too, so the check cannot pass by judging nothing.
 */
export async function reconcileCheck(
  client: Client,
  config: Config,
  runStart: Date,
  workOrders: number,
): Promise<{ check: Check; figures?: ReconcileFigures }> {
  const check: Check = { name: 'reconcile reports zero drift', failures: [] };
  const started = Date.now();
  try {
    const report = await reconcileInProcess(
      client,
      config,
      loadMappingProject(config.mappingProject, connectorCatalog()),
      {
        since: runStart,
        legalEntity: config.finance.company,
        now: new Date(Date.now() + JUDGED_AFTER_MS),
      },
    );
    for (const drift of report.drifts)
      check.failures.push(`${drift.class} ${drift.document} ${drift.key}: ${drift.message}`);
    const unlisted = totalDrifts(report.counts) - report.drifts.length;
    if (unlisted > 0) check.failures.push(`and ${unlisted} more drifts`);
    const judged = report.checked - report.inFlight;
    if (judged < workOrders)
      check.failures.push(
        `judged ${judged} documents (${report.inFlight} in flight), fewer than the ${workOrders} work orders`,
      );
    return {
      check,
      figures: {
        seconds: (Date.now() - started) / 1000,
        checked: report.checked,
        inFlight: report.inFlight,
        counts: Object.fromEntries(Object.entries(report.counts).filter(([, count]) => count > 0)),
      },
    };
  } catch (err) {
    if (!(err instanceof ReconcileStopped)) throw err;
    check.failures.push(err.message);
    return { check };
  }
}
