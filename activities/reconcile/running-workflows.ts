import { z } from 'zod';
import type { Filter } from '../../connectors';
import type { DataverseTable } from '../../connectors/entities/dataverse';
import type { IntegrationState } from '../../workflows/integration/integration-flow';
import { driftWorkflowOf } from './document-drift';
import type { Drift } from './drift';
import type { JoinContext, JoinPage } from './join';
import { numbersIn } from './key-reads';
import { countDataverse } from './keyed-pages';
import { personFix } from './repairs';
import type { KeywordKey, WorkflowRun } from './workflow-visibility';

/** Running workflows per page of the workflow pass. */
const PAGE_SIZE = 100;

/** One kind of Field Service document and the workflows that look after it, as reconcile reads and names them. */
export interface DocumentWorkflows {
  /** The join that reports them, e.g. `work orders`. */
  join: string;
  /** The document in words, e.g. `work order`. */
  document: string;
  /** Its Dataverse table and the column that holds its number. */
  table: DataverseTable;
  numberColumn: string;
  /** The document's number on the Field Service side of a drift, e.g. `workOrder`. */
  fieldServiceKey: string;
  /** The CLI's command for it, e.g. `work-order` (`fsfo work-order retry <number>`). */
  command: string;
  /** The workflow type (its function's name), e.g. `workOrderInvoicing`. */
  type: string;
  /** The search attribute that holds the document's number. */
  key: KeywordKey;
  /** The workflow ID before the number, e.g. `work-order-`. */
  idPrefix: string;
  /** The stage the workflow parks in until a person fixes its data. */
  parked: string;
}

/** A running workflow and the number of the document it follows. */
export interface NumberedRun {
  run: WorkflowRun;
  number: string;
}

/** Where a join's workflow pass stands: at a visibility page token, or done. */
export const workflowPassPositions = [
  z.object({ pass: z.literal('workflows'), token: z.string().optional() }),
  z.object({ pass: z.literal('done') }),
] as const;

/** Which of `numbers` Field Service has as documents of this kind, in lower case (one query per 50). */
export const existingDocuments = (
  context: JoinContext,
  workflows: DocumentWorkflows,
  numbers: readonly string[],
): Promise<Set<string>> => numbersIn(context.dataverse, workflows.table, workflows.numberColumn, numbers);

/**
 * For the progress bar: the Field Service documents `filter` selects (given the number to read after),
 * by number only, and the running workflows of the type.
 */
export async function countDocumentsAndWorkflows(
  context: JoinContext,
  workflows: DocumentWorkflows,
  filter: (after: string) => Filter | undefined,
): Promise<number> {
  const { table, numberColumn, type } = workflows;
  return (
    (await countDataverse(context.dataverse, table, numberColumn, filter)) +
    (await context.workflows.countRunning(type))
  );
}

/** The document number a run follows: its search attribute, else its workflow ID without the prefix. */
function numberOf(workflows: DocumentWorkflows, run: WorkflowRun): string {
  if (run.key !== undefined) return run.key;
  return run.workflowId.startsWith(workflows.idPrefix)
    ? run.workflowId.slice(workflows.idPrefix.length)
    : run.workflowId;
}

/**
 * The workflow pass: running workflows of the type by visibility page token (after `token`, so a retried
 * reader resumes where it stopped) against Field Service. `gone` makes the drifts, one each in order, of
 * those whose document Field Service no longer has; one parked in NeedsAttention waits for a person, with
 * its reason from the `status` query (asked of parked workflows only).
 */
export async function* runningWorkflowPages(
  context: JoinContext,
  workflows: DocumentWorkflows,
  token: string | undefined,
  gone: (runs: readonly NumberedRun[]) => Promise<Drift[]>,
): AsyncGenerator<JoinPage> {
  for (let after = token, more = true; more;) {
    const { runs, next } = await context.workflows.runningPage(
      workflows.type,
      workflows.key,
      PAGE_SIZE,
      after,
    );
    const numbered = runs.map((run) => ({ run, number: numberOf(workflows, run) }));
    const existing = await existingDocuments(
      context,
      workflows,
      numbered.map(({ number }) => number),
    );
    const exists = ({ number }: NumberedRun) => existing.has(number.toLowerCase());
    const goneDrifts = await gone(numbered.filter((run) => !exists(run)));
    const drifts: Drift[] = [];
    for (const run of numbered) {
      if (!exists(run)) drifts.push(goneDrifts.shift()!);
      else if (run.run.stage === workflows.parked) drifts.push(await parkedWorkflow(context, workflows, run));
    }
    after = next;
    more = next !== undefined;
    yield {
      checked: runs.length,
      inFlight: 0,
      drifts,
      position: more ? { pass: 'workflows', token: after } : { pass: 'done' },
    };
  }
}

async function parkedWorkflow(
  context: JoinContext,
  workflows: DocumentWorkflows,
  { run, number }: NumberedRun,
): Promise<Drift> {
  const { document, command } = workflows;
  const state = await context.workflows.query<IntegrationState>(run.workflowId, 'status');
  const reason = state?.attention
    ? `${state.attention.reason} (since ${state.attention.since})`
    : `its reason is in "fsfo ${command} status ${number}"`;
  return {
    class: 'needs attention',
    join: workflows.join,
    document: 'workflow',
    key: run.workflowId,
    fieldService: { [workflows.fieldServiceKey]: number },
    finance: null,
    workflow: driftWorkflowOf(run),
    message: `The workflow of ${document} ${number} needs attention: ${reason}.`,
    fix: personFix('Fix what the reason says, then run the command.', `fsfo ${command} retry ${number}`),
  };
}

/**
 * Running workflows whose document was deleted in Field Service: they wait for nothing; `check` is what
 * a person looks into before terminating one.
 */
export const workflowsWithoutDocument =
  (workflows: DocumentWorkflows, check: string) =>
  async (gone: readonly NumberedRun[]): Promise<Drift[]> =>
    gone.map(({ run, number }) => ({
      class: 'orphan',
      join: workflows.join,
      document: 'workflow',
      key: run.workflowId,
      fieldService: null,
      finance: null,
      workflow: driftWorkflowOf(run),
      message:
        `Workflow ${run.workflowId} (${run.stage ?? 'no stage'}) waits for ${workflows.document} ${number}, ` +
        'which no longer exists in Field Service.',
      fix: personFix(
        `Check what became of ${check}; then terminate the workflow in Temporal Web, or with ` +
          `"temporal workflow terminate --workflow-id ${run.workflowId} --reason '${workflows.document} deleted'".`,
      ),
    }));
