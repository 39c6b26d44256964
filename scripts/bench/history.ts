import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { type ActionCounts, countActions } from './actions';
import { fetchHistoryChain, type History } from './history-chain';
import { historyBytes } from './history-size';

const EventType = temporal.api.enums.v1.EventType;

/** What one workflow's history says about its run; times in ms since the epoch (server clock). */
export interface RunTimeline {
  workflowId: string;
  /** History events of all its runs (continue-as-new included). */
  events: number;
  /** Encoded size of all its runs' histories (`history-size.ts`). */
  historyBytes: number;
  actions: ActionCounts;
  runs: number;
  started: number;
  /** Completion of the first `syncSalesOrder` (floor: the activity in that position). */
  salesOrderCreated?: number;
  /** The workflow task that set `IntegrationStage` to AwaitingInvoice. */
  awaitingInvoice?: number;
  /** The first `invoicePosted` signal. */
  invoiceSignalled?: number;
  completed?: number;
  /** Activity types in the order they were scheduled. */
  activities: string[];
  /** How many of them were scheduled before the `invoicePosted` signal. */
  activitiesBeforeSignal: number;
}

function keyword(payload: temporal.api.common.v1.IPayload | null | undefined): unknown {
  if (!payload?.data) return undefined;
  try {
    return JSON.parse(Buffer.from(payload.data).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Reads a workflow's histories (all its runs) and finds the moments the benchmark reports on. */
export async function readTimeline(client: Client, workflowId: string): Promise<RunTimeline> {
  return timelineOf(workflowId, await fetchHistoryChain(client, workflowId));
}

/** What the histories of a workflow's runs (oldest first) say: sizes, actions and moments. */
export function timelineOf(workflowId: string, chain: readonly History[]): RunTimeline {
  const events = chain.flatMap((history) => history.events ?? []);
  const scheduled = new Map<string, string>();
  const timeline: RunTimeline = {
    workflowId,
    events: events.length,
    historyBytes: historyBytes(chain),
    actions: countActions(chain),
    runs: chain.length,
    started: 0,
    activities: [],
    activitiesBeforeSignal: 0,
  };
  for (const event of events) {
    const at = tsToMs(event.eventTime);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        timeline.started ||= at;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const name = event.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
        scheduled.set(String(event.eventId), name);
        timeline.activities.push(name);
        if (timeline.invoiceSignalled === undefined) timeline.activitiesBeforeSignal++;
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const name = scheduled.get(String(event.activityTaskCompletedEventAttributes?.scheduledEventId));
        if (name === 'syncSalesOrder') timeline.salesOrderCreated ??= at;
        break;
      }
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const fields =
          event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
        const stage = keyword(fields.IntegrationStage);
        if (stage === 'AwaitingInvoice' || (Array.isArray(stage) && stage[0] === 'AwaitingInvoice'))
          timeline.awaitingInvoice ??= at;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        if (event.workflowExecutionSignaledEventAttributes?.signalName === 'invoicePosted')
          timeline.invoiceSignalled ??= at;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        timeline.completed = at;
        break;
    }
  }
  return timeline;
}
