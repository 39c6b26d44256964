import { temporal } from '@temporalio/proto';
import type { History } from './history-chain';

const EventType = temporal.api.enums.v1.EventType;

/** Temporal Cloud's billable actions that a workflow's history shows, by kind. */
export interface ActionCounts {
  /** Started by a client (or a schedule) without a signal. */
  workflowStarts: number;
  /** Started by signal-with-start: the start's action (its signal counts under `signals`). */
  signalWithStart: number;
  /** Each continue-as-new starts a run: one action (that run's own start is not counted again). */
  continueAsNew: number;
  activities: number;
  /** Attempts after the first (the last attempt number each activity's started event shows, minus one). */
  activityRetries: number;
  /** Local activities: one action per workflow task that recorded any. */
  localActivities: number;
  childWorkflowStarts: number;
  signals: number;
  /** Accepted updates (a rejected update is billed too but leaves no event). */
  updates: number;
  timers: number;
  /** Search attribute upserts and memo changes (workflow properties modified), one action per command. */
  upserts: number;
  total: number;
}

export const ACTION_KINDS = [
  'workflowStarts',
  'signalWithStart',
  'continueAsNew',
  'activities',
  'activityRetries',
  'localActivities',
  'childWorkflowStarts',
  'signals',
  'updates',
  'timers',
  'upserts',
] as const satisfies readonly (keyof ActionCounts)[];

/** Counts with each kind (and the total) from `valueOf`. */
export function actionCountsFrom(valueOf: (kind: keyof ActionCounts) => number): ActionCounts {
  const counts = { total: valueOf('total') } as ActionCounts;
  for (const kind of ACTION_KINDS) counts[kind] = valueOf(kind);
  return counts;
}

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/**
 * Counts the billable actions of a workflow's runs (oldest first) from their events, as Temporal Cloud
 * bills them. What leaves no event is not counted: queries, activity heartbeats, rejected updates, the
 * schedules' own actions.
 */
export function countActions(chain: readonly History[]): ActionCounts {
  const counts = actionCountsFrom(() => 0);
  for (const history of chain) {
    const events = history.events ?? [];
    const localActivityTasks = new Set<string>();
    events.forEach((event, index) => {
      switch (event.eventType) {
        case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
          if (event.workflowExecutionStartedEventAttributes?.continuedExecutionRunId) break;
          // Signal-with-start records the signal right after the start, before the first workflow task.
          if (events[index + 1]?.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
            counts.signalWithStart++;
          else counts.workflowStarts++;
          break;
        case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
          counts.continueAsNew++;
          break;
        case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
          counts.activities++;
          break;
        case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
          counts.activityRetries += Math.max(0, (event.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
          break;
        case EventType.EVENT_TYPE_MARKER_RECORDED: {
          const marker = event.markerRecordedEventAttributes;
          if (marker?.markerName === LOCAL_ACTIVITY_MARKER)
            localActivityTasks.add(String(marker.workflowTaskCompletedEventId));
          break;
        }
        case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
          counts.childWorkflowStarts++;
          break;
        case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
          counts.signals++;
          break;
        case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
          counts.updates++;
          break;
        case EventType.EVENT_TYPE_TIMER_STARTED:
          counts.timers++;
          break;
        case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        case EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
          counts.upserts++;
          break;
      }
    });
    counts.localActivities += localActivityTasks.size;
  }
  counts.total = ACTION_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
  return counts;
}
