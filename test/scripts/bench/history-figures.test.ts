import { temporal } from '@temporalio/proto';
import { countActions } from '../../../scripts/bench/actions';
import { timelineOf } from '../../../scripts/bench/history';
import { historyBytes } from '../../../scripts/bench/history-size';
import { plainStartHistory, twoRunHistory } from './history-fixture';

describe('Temporal actions counted from a history', () => {
  it('counts each billable kind over every run of a workflow that continued as new', () => {
    expect(countActions(twoRunHistory())).toEqual({
      workflowStarts: 0,
      signalWithStart: 1,
      continueAsNew: 1,
      activities: 2,
      activityRetries: 2,
      localActivities: 1,
      childWorkflowStarts: 0,
      signals: 2,
      updates: 1,
      timers: 1,
      upserts: 2,
      total: 13,
    });
  });

  it('counts a start without a signal as a plain workflow start', () => {
    expect(countActions(plainStartHistory())).toMatchObject({
      workflowStarts: 1,
      signalWithStart: 0,
      activities: 1,
      total: 2,
    });
  });
});

describe('history size', () => {
  it('is the encoded size of every run, payloads included', () => {
    const small = twoRunHistory({ lines: 3 });
    const large = twoRunHistory({ snapshot: 'x'.repeat(33_000) });
    const encoded = (runs: temporal.api.history.v1.IHistory[]) =>
      runs.map((run) => temporal.api.history.v1.History.encode(run).finish().byteLength);
    expect(historyBytes(small)).toBe(encoded(small).reduce((a, b) => a + b));
    // The snapshot travels twice (workflow input and activity input).
    expect(historyBytes(large) - historyBytes(small)).toBeGreaterThanOrEqual(66_000);
  });
});

describe('timeline of a workflow that continued as new', () => {
  it('starts with the first run, completes with the last and sums events, bytes and actions', () => {
    const chain = twoRunHistory();
    const timeline = timelineOf('work-order-WO-1', chain);
    const start = 1_800_000_000 * 1000;
    expect(timeline).toMatchObject({
      runs: 2,
      events: 22 + 11,
      historyBytes: historyBytes(chain),
      started: start,
      salesOrderCreated: start + 4000,
      invoiceSignalled: start + 6000,
      completed: start + 10_000,
      activities: ['syncSalesOrder', 'recordInvoice'],
      activitiesBeforeSignal: 1,
    });
    expect(timeline.actions.total).toBe(13);
  });
});
