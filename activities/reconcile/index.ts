import { activityInfo, getClient, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Config } from '../../config/config';
import { type Connectors, createConnectors } from '../../connectors';
import type { MappingProject } from '../../mappings/project/merge';
import { rethrowAsD365Failure } from '../d365-failure';
import { LISTED_DRIFTS, type ReconcileActivities, reconcileInputSchema } from './contract';
import { joinsFor } from './joins';
import { unknownLegalEntity } from './legal-entity';
import { ReportBuilder, reportProgressSchema } from './report';
import { cursorSchema, reconcilePages } from './run';
import { WorkflowVisibility } from './workflow-visibility';

/** What a retried attempt resumes from: the instant the report is taken at, where it was, what it counted. */
const checkpointSchema = z.object({
  now: z.iso.datetime({ offset: true }),
  cursor: cursorSchema.optional(),
  progress: reportProgressSchema,
});
type Checkpoint = z.infer<typeof checkpointSchema>;

/** How often a page that takes long still tells Temporal the worker is alive. */
const HEARTBEAT_EVERY_MS = 5_000;

/** The `reconcile` workflow's activity, bound to the worker's configuration, clients and mapping project. */
export function createReconcileActivities(
  config: Config,
  connectors: Connectors,
  project: MappingProject,
): ReconcileActivities {
  return {
    async reconcileDocuments(raw) {
      const parsed = reconcileInputSchema.safeParse(raw);
      if (!parsed.success) {
        throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
      }
      const input = parsed.data;
      const legalEntity = (input.legalEntity ?? config.finance.company).toLowerCase();
      const finance =
        legalEntity === connectors.finance.company
          ? connectors.finance
          : createConnectors({ ...config, finance: { ...config.finance, company: legalEntity } }).finance;
      const resumed = checkpointSchema.safeParse(activityInfo().heartbeatDetails);
      const checkpoint: Checkpoint = resumed.success
        ? resumed.data
        : {
            now: new Date().toISOString(),
            progress: new ReportBuilder({ startedAt: new Date() }).progress,
          };
      const scope = {
        legalEntity,
        since: input.since === undefined ? undefined : new Date(input.since),
        now: new Date(checkpoint.now),
      };
      const builder = new ReportBuilder({
        startedAt: new Date(checkpoint.progress.startedAt),
        listed: LISTED_DRIFTS,
        resumed: checkpoint.progress,
      });
      const context = {
        dataverse: connectors.dataverse,
        finance,
        project,
        workflows: new WorkflowVisibility(getClient(), { taskQueue: config.temporal.taskQueue, legalEntity }),
      };
      let last = checkpoint;
      const beat = setInterval(() => heartbeat(last), HEARTBEAT_EVERY_MS);
      try {
        const problem = await unknownLegalEntity(finance, legalEntity);
        if (problem) throw ApplicationFailure.nonRetryable(problem, 'UnknownLegalEntity');
        for await (const step of reconcilePages(joinsFor(project), context, scope, checkpoint.cursor)) {
          builder.add(step.page);
          last = { now: checkpoint.now, cursor: step.cursor, progress: builder.progress };
          heartbeat(last);
        }
      } catch (err) {
        rethrowAsD365Failure(err);
      } finally {
        clearInterval(beat);
      }
      return builder.report(scope, new Date());
    },
  };
}
