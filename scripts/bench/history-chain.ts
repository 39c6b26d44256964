import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

export type History = temporal.api.history.v1.IHistory;

/**
 * Every run of a workflow, oldest first: the latest run's history, then the run it continued from
 * (`continuedExecutionRunId` of its first event), and so on back to the first run. A workflow that
 * continues as new is one work order; its events, bytes and actions are those of all its runs.
 */
export async function fetchHistoryChain(client: Client, workflowId: string): Promise<History[]> {
  const chain: History[] = [];
  let runId: string | undefined;
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    chain.unshift(history);
    const previous =
      history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
    if (!previous) return chain;
    runId = previous;
  }
}
