import { temporal } from '@temporalio/proto';
import Long from 'long';

const EventType = temporal.api.enums.v1.EventType;
type Event = temporal.api.history.v1.IHistoryEvent;

const json = (value: unknown) => ({
  payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) }],
});
const at = (seconds: number) => ({ seconds: Long.fromNumber(1_800_000_000 + seconds), nanos: 0 });

/** Events numbered from 1, each `seconds` after a fixed instant. */
function numbered(events: [number, Event][]): Event[] {
  return events.map(([seconds, event], index) => ({
    ...event,
    eventId: Long.fromNumber(index + 1),
    eventTime: at(seconds),
  }));
}

const workflowTask = (seconds: number): [number, Event][] => [
  [seconds, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED }],
  [seconds, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED }],
  [seconds, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED }],
];

/**
 * A work order's two runs, as a workflow started by signal-with-start that continues as new while it
 * awaits its invoice. First run: the start and its signal, a stage upsert, `syncSalesOrder` (third
 * attempt), an update, a timer, a memo change, two local activities in one workflow task, a second
 * signal, continue-as-new. Second run: `recordInvoice`, completion.
 */
export function twoRunHistory(snapshot: unknown = { lines: 3 }): temporal.api.history.v1.IHistory[] {
  const first = numbered([
    [
      0,
      {
        eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
        workflowExecutionStartedEventAttributes: { input: json(snapshot) },
      },
    ],
    [
      0,
      {
        eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
        workflowExecutionSignaledEventAttributes: { signalName: 'workOrderChanged' },
      },
    ],
    ...workflowTask(0),
    [1, { eventType: EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES }],
    [
      1,
      {
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
        activityTaskScheduledEventAttributes: {
          activityType: { name: 'syncSalesOrder' },
          input: json(snapshot),
        },
      },
    ],
    [
      3,
      {
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
        activityTaskStartedEventAttributes: { attempt: 3 },
      },
    ],
    [
      4,
      {
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
        activityTaskCompletedEventAttributes: { scheduledEventId: Long.fromNumber(7) },
      },
    ],
    ...workflowTask(4),
    [5, { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED }],
    [5, { eventType: EventType.EVENT_TYPE_TIMER_STARTED }],
    [5, { eventType: EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED }],
    [
      5,
      {
        eventType: EventType.EVENT_TYPE_MARKER_RECORDED,
        markerRecordedEventAttributes: {
          markerName: 'core_local_activity',
          workflowTaskCompletedEventId: Long.fromNumber(12),
        },
      },
    ],
    [
      5,
      {
        eventType: EventType.EVENT_TYPE_MARKER_RECORDED,
        markerRecordedEventAttributes: {
          markerName: 'core_local_activity',
          workflowTaskCompletedEventId: Long.fromNumber(12),
        },
      },
    ],
    [
      6,
      {
        eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
        workflowExecutionSignaledEventAttributes: { signalName: 'invoicePosted' },
      },
    ],
    ...workflowTask(6),
    [6, { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW }],
  ]);
  const second = numbered([
    [
      7,
      {
        eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
        workflowExecutionStartedEventAttributes: { continuedExecutionRunId: 'first-run' },
      },
    ],
    ...workflowTask(7),
    [
      7,
      {
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
        activityTaskScheduledEventAttributes: { activityType: { name: 'recordInvoice' } },
      },
    ],
    [
      8,
      {
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
        activityTaskStartedEventAttributes: { attempt: 1 },
      },
    ],
    [
      9,
      {
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
        activityTaskCompletedEventAttributes: { scheduledEventId: Long.fromNumber(5) },
      },
    ],
    ...workflowTask(9),
    [10, { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED }],
  ]);
  return [{ events: first }, { events: second }];
}

/** A run started by a client without a signal: start, one activity, completion. */
export function plainStartHistory(): temporal.api.history.v1.IHistory[] {
  return [
    {
      events: numbered([
        [
          0,
          {
            eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
            workflowExecutionStartedEventAttributes: {},
          },
        ],
        ...workflowTask(0),
        [
          0,
          {
            eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
            activityTaskScheduledEventAttributes: { activityType: { name: 'noop' } },
          },
        ],
        [
          0,
          {
            eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
            activityTaskStartedEventAttributes: { attempt: 1 },
          },
        ],
        [
          1,
          {
            eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
            activityTaskCompletedEventAttributes: { scheduledEventId: Long.fromNumber(5) },
          },
        ],
        ...workflowTask(1),
        [1, { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED }],
      ]),
    },
  ];
}
