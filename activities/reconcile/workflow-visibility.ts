import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { tsToMs } from '@temporalio/common/lib/time';
import { IntegrationStage, LegalEntity } from '../../workflows/search-attributes';

/** Values per `IN (...)`: keeps a visibility query short. */
const VALUES_PER_QUERY = 100;

/** One run of a workflow as Temporal visibility lists it (eventually consistent, usually within a second). */
export interface WorkflowRun {
  workflowId: string;
  /** Temporal's execution status, e.g. `Running`, `Completed`, `Terminated`. */
  status: string;
  running: boolean;
  /** The `IntegrationStage` search attribute: where the workflow is. */
  stage?: string;
  /** The document the workflow is keyed by (the search attribute it was listed by). */
  key?: string;
  startTime: Date;
}

/** A keyword search attribute that holds a document's number, e.g. `WorkOrderNumber`. */
export type KeywordKey = SearchAttributeKey<typeof SearchAttributeType.KEYWORD>;

/** A value in a visibility query: single-quoted, backslashes and quotes escaped. */
const quoted = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

const statusName = (name: string) => name.charAt(0) + name.slice(1).toLowerCase().replaceAll('_', ' ');

/**
 * The workflows of this deployment (its task queue) and legal entity in Temporal visibility: a page of
 * documents costs one list request per 100 keys, whatever the number of workflows.
 */
export class WorkflowVisibility {
  readonly #client: Client;
  readonly #scope: string;

  constructor(client: Client, scope: { taskQueue: string; legalEntity: string }) {
    this.#client = client;
    this.#scope = `TaskQueue = ${quoted(scope.taskQueue)} AND ${LegalEntity.name} = ${quoted(scope.legalEntity)}`;
  }

  /**
   * The workflow of each key (e.g. work order number): its running run, else its latest closed one.
   * Keys without any run are absent.
   */
  async byKeys(
    workflowType: string,
    key: KeywordKey,
    values: readonly string[],
  ): Promise<Map<string, WorkflowRun>> {
    const found = new Map<string, WorkflowRun>();
    for (let start = 0; start < values.length; start += VALUES_PER_QUERY) {
      const chunk = values.slice(start, start + VALUES_PER_QUERY);
      const query = `${this.#of(workflowType)} AND ${key.name} IN (${chunk.map(quoted).join(', ')})`;
      for await (const execution of this.#client.workflow.list({ query })) {
        const run = runOf(execution, key);
        if (run.key === undefined) continue;
        const known = found.get(run.key);
        if (!known || preferred(run, known)) found.set(run.key, run);
      }
    }
    return found;
  }

  /**
   * One page of the running workflows of a type; `after` is the page token the previous page returned, so
   * a retried reader resumes where it stopped. `next` is absent after the last page.
   */
  async runningPage(
    workflowType: string,
    key: KeywordKey,
    pageSize: number,
    after?: string,
  ): Promise<{ runs: WorkflowRun[]; next?: string }> {
    const { executions, nextPageToken } = await this.#client.workflowService.listWorkflowExecutions({
      namespace: this.#client.options.namespace,
      query: `${this.#of(workflowType)} AND ExecutionStatus = 'Running'`,
      pageSize,
      nextPageToken: after === undefined ? undefined : Buffer.from(after, 'base64'),
    });
    const runs = executions.map((execution): WorkflowRun => {
      const attributes = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
      return {
        workflowId: execution.execution?.workflowId ?? '',
        status: 'Running',
        running: true,
        stage: attributes.get(IntegrationStage),
        key: attributes.get(key),
        startTime: new Date(tsToMs(execution.startTime)),
      };
    });
    const next = nextPageToken?.length ? Buffer.from(nextPageToken).toString('base64') : undefined;
    return { runs, next };
  }

  async countRunning(workflowType: string): Promise<number> {
    return (await this.#client.workflow.count(`${this.#of(workflowType)} AND ExecutionStatus = 'Running'`))
      .count;
  }

  /** A query to a workflow, or `undefined` when no worker answers within `timeoutMs`. */
  async query<T>(workflowId: string, queryName: string, timeoutMs = 5_000): Promise<T | undefined> {
    try {
      return await this.#client.withDeadline(Date.now() + timeoutMs, () =>
        this.#client.workflow.getHandle(workflowId).query<T>(queryName),
      );
    } catch {
      return undefined;
    }
  }

  #of(workflowType: string): string {
    return `WorkflowType = ${quoted(workflowType)} AND ${this.#scope}`;
  }
}

function runOf(execution: WorkflowExecutionInfo, key: KeywordKey): WorkflowRun {
  const attributes = execution.typedSearchAttributes;
  return {
    workflowId: execution.workflowId,
    status: statusName(execution.status.name),
    running: execution.status.name === 'RUNNING',
    stage: attributes.get(IntegrationStage),
    key: attributes.get(key),
    startTime: execution.startTime,
  };
}

/** A running run wins; otherwise the one started last. */
const preferred = (run: WorkflowRun, than: WorkflowRun) =>
  run.running !== than.running ? run.running : run.startTime > than.startTime;
