import type { Client } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { type Drift, reportSchema } from '../../activities/reconcile/drift';
import type { JoinContext, ReconcileScope } from '../../activities/reconcile/join';
import { joinsFor, RECONCILE_JOINS } from '../../activities/reconcile/joins';
import { unknownLegalEntity } from '../../activities/reconcile/legal-entity';
import { ReportBuilder } from '../../activities/reconcile/report';
import { countDocuments, type Cursor, reconcilePages } from '../../activities/reconcile/run';
import { WorkflowVisibility } from '../../activities/reconcile/workflow-visibility';
import { WORK_ORDER_WORKFLOWS } from '../../activities/reconcile/work-orders/running-workflows';
import type { Config } from '../../config/config';
import { createConnectors, D365Error } from '../../connectors';
import { workOrders } from '../../connectors/entities/dataverse';
import type { MappingProject } from '../../mappings/project/merge';
import type { ReconcileProgress } from './progress';
import { runRepair } from './repairs';

export const repairOutcomeSchema = z.object({ command: z.string(), outcome: z.string() });
export type RepairOutcome = z.infer<typeof repairOutcomeSchema>;

/** What `fsfo reconcile --json` prints: the report, and with `--fix` what each repair did. */
export const reconcileOutputSchema = reportSchema.extend({
  repairs: z.array(repairOutcomeSchema).optional(),
});
export type ReconcileOutput = z.infer<typeof reconcileOutputSchema>;

/** Bad input, or a service that cannot be reached: one message, exit code 2, nothing written. */
export class ReconcileStopped extends Error {}

export interface ReconcileRunOptions {
  /** The F&O legal entity; the configured one (`FNO_COMPANY`) by default. */
  legalEntity?: string;
  since?: Date;
  /** Starts or signals the workflows that repair what can be repaired, once the report is complete. */
  fix?: boolean;
  /**
   * Whether the report lists the drifts (the default) or only counts them: a caller that shows each as
   * `onDrift` hands it over keeps none, and its memory does not grow with them. `fix` lists them.
   */
  listDrifts?: boolean;
  /** The instant the report is taken at (default: now). */
  now?: Date;
  onProgress?: (progress: ReconcileProgress) => void;
  /** Each drift as soon as its page is compared. */
  onDrift?: (drift: Drift) => void;
}

/** Attempts per page when a service throttles or fails for a moment. */
const ATTEMPTS = 5;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Runs `check`; anything but a deliberate refusal means the service cannot be reached as configured. */
async function reachable(service: string, where: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (err) {
    if (err instanceof ReconcileStopped) throw err;
    throw new ReconcileStopped(`Cannot reach ${service} at ${where}: ${messageOf(err)}`);
  }
}

/**
 * `fsfo reconcile` in this process: the same joins as the `reconcile` workflow, with every drift streamed
 * and progress shown, then (`fix`) the repairs through the CLI's own starters. Services are checked
 * before anything is read; a page a service throttles or fails is read again (honouring `Retry-After`),
 * and a service that stays away stops the run before any repair.
 */
export async function reconcileInProcess(
  client: Client,
  config: Config,
  project: MappingProject,
  options: ReconcileRunOptions = {},
): Promise<ReconcileOutput> {
  const legalEntity = (options.legalEntity ?? config.finance.company).toLowerCase();
  if (!/^[a-z0-9]{1,4}$/.test(legalEntity)) {
    throw new ReconcileStopped(
      `--legal-entity ${JSON.stringify(options.legalEntity)}: a legal entity is a dataAreaId of 1-4 letters or digits`,
    );
  }
  const joins = joinsFor(project);
  if (joins.length === 0) {
    throw new ReconcileStopped(
      `The mapping project ${project.name} has no flow that reconcile checks (${RECONCILE_JOINS.map((join) => join.name).join(', ')})`,
    );
  }
  const scoped: Config = { ...config, finance: { ...config.finance, company: legalEntity } };
  const { dataverse, finance } = createConnectors(scoped);
  const workflows = new WorkflowVisibility(client, { taskQueue: config.temporal.taskQueue, legalEntity });
  const context: JoinContext = { dataverse, finance, project, workflows };

  await reachable('F&O', config.finance.url, async () => {
    const problem = await unknownLegalEntity(finance, legalEntity);
    if (problem) throw new ReconcileStopped(`--legal-entity ${legalEntity}: ${problem}`);
  });
  await reachable('Field Service', config.fieldService.url, async () => {
    for await (const _row of dataverse.query(workOrders, { select: ['msdyn_name'], top: 1 })) break;
  });
  await reachable('Temporal', config.temporal.address, async () => {
    await workflows.countRunning(WORK_ORDER_WORKFLOWS.type);
  });

  const scope: ReconcileScope = { legalEntity, since: options.since, now: options.now ?? new Date() };
  const listed = options.fix || (options.listDrifts ?? true) ? Number.POSITIVE_INFINITY : 0;
  const builder = new ReportBuilder({ startedAt: new Date(), listed });
  let total: number | undefined;
  let cursor: Cursor | undefined;
  const progress = (): ReconcileProgress => ({ ...builder.totals, total });
  await withRetries(async () => {
    total ??= await countDocuments(joins, context, scope);
    options.onProgress?.(progress());
    for await (const step of reconcilePages(joins, context, scope, cursor)) {
      builder.add(step.page);
      cursor = step.cursor;
      for (const drift of step.page.drifts) options.onDrift?.(drift);
      options.onProgress?.(progress());
    }
  });
  const report = builder.report(scope, new Date());
  if (!options.fix) return report;

  const repairs = new Map<string, RepairOutcome>();
  for (const drift of report.drifts) {
    const { repair, command } = drift.fix;
    if (!repair || !command || repairs.has(command)) continue;
    const outcome = await runRepair(client, scoped, repair).catch(
      (err: unknown) => `not done: ${messageOf(err)}`,
    );
    repairs.set(command, { command, outcome });
  }
  return { ...report, repairs: [...repairs.values()] };
}

/** Reads again after throttling or a passing outage; any other failure, or one that lasts, stops the run. */
async function withRetries(read: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      const passing = err instanceof D365Error && err.retryable && attempt < ATTEMPTS;
      if (!passing) {
        throw new ReconcileStopped(`Reconciliation stopped, nothing was repaired: ${messageOf(err)}`);
      }
      await delay(err.retryAfterMs ?? 1_000 * 2 ** attempt);
    }
  }
}
