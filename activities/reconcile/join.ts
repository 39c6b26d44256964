import type { DataverseClient, FinanceClient } from '../../connectors';
import type { MappingProject } from '../../mappings/project/merge';
import { ReferenceData } from '../reference-data';
import { RelatedRecordReader } from '../related-records';
import type { Drift } from './drift';
import type { WorkflowVisibility } from './workflow-visibility';

/** What one reconciliation covers. */
export interface ReconcileScope {
  /** The F&O legal entity (`dataAreaId`, lower case). */
  legalEntity: string;
  /** Only Field Service documents changed since then; all when absent. */
  since?: Date;
  /** The instant the report is taken at: changes younger than the in-flight window are not judged yet. */
  now: Date;
}

/** The services a join reads, all read-only here. `finance` is bound to the scope's legal entity. */
export interface JoinContext {
  dataverse: DataverseClient;
  finance: FinanceClient;
  project: MappingProject;
  workflows: WorkflowVisibility;
}

/**
 * What a join's page reader needs: the services, the tasks of the join's flow, the columns they read,
 * and a reader of the records its mappings name (accounts, products, units …), as the flow's own
 * loading code reads them.
 */
export interface PageReading<Tasks, Columns> {
  context: JoinContext;
  tasks: Tasks;
  columns: Columns;
  related: RelatedRecordReader;
}

export function pageReading<Tasks, Columns>(
  context: JoinContext,
  tasksOf: (project: MappingProject) => Tasks,
  columnsOf: (tasks: Tasks) => Columns,
): PageReading<Tasks, Columns> {
  const tasks = tasksOf(context.project);
  const related = new RelatedRecordReader(context.dataverse, new ReferenceData(context.dataverse));
  return { context, tasks, columns: columnsOf(tasks), related };
}

/**
 * Where a join resumes: JSON the join alone understands (validated by it), kept in the activity's
 * heartbeat so a retried attempt carries on after the last page it finished.
 */
export type JoinPosition = unknown;

/** The outcome of one page of documents, yielded once every request of the page has succeeded. */
export interface JoinPage {
  /** Documents compared in this page. */
  checked: number;
  /** Of those, documents in flight: counted, not judged. */
  inFlight: number;
  drifts: Drift[];
  /** Where the join resumes after this page. */
  position: JoinPosition;
}

/**
 * One reconciliation join: pages through one kind of document and its counterparts, with memory that
 * does not grow with the number of documents and a fixed number of requests per page (key filters in
 * chunks, never one request per document). Register it in `joins.ts`.
 */
export interface ReconcileJoin {
  /** How reports name it, e.g. `work orders`. */
  name: string;
  /** Whether the mapping project has the flow this join checks. */
  appliesTo(project: MappingProject): boolean;
  /** How many documents `pages` will compare, read cheaply (keys only), for a progress bar. */
  count(context: JoinContext, scope: ReconcileScope): Promise<number>;
  /** The pages, in order, after `from` (a position an earlier page returned) or from the start. */
  pages(context: JoinContext, scope: ReconcileScope, from?: JoinPosition): AsyncIterable<JoinPage>;
}
