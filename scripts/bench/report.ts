import { actionCountsFrom, type ActionCounts } from './actions';
import type { RunTimeline } from './history';

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of durations in ms; undefined when there are none. */
export function percentiles(values: number[]): Percentiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { count: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted.at(-1)! };
}

export const STAGES = {
  'start → sales order created': (t: RunTimeline) => span(t.started, t.salesOrderCreated),
  'sales order → awaiting invoice (close, re-sync)': (t: RunTimeline) =>
    span(t.salesOrderCreated, t.awaitingInvoice),
  'awaiting invoice → invoicePosted (bench posts the invoice)': (t: RunTimeline) =>
    span(t.awaitingInvoice, t.invoiceSignalled),
  'invoicePosted → invoiced (find, record, mark)': (t: RunTimeline) => span(t.invoiceSignalled, t.completed),
  'start → invoiced': (t: RunTimeline) => span(t.started, t.completed),
} as const;

function span(from: number | undefined, to: number | undefined): number | undefined {
  return from === undefined || to === undefined ? undefined : to - from;
}

export interface PhaseResult {
  workflows: number;
  completed: number;
  failures: { workflowId: string; reason: string }[];
  /** Work orders per second from the first start to the last sales order created / the last completion. */
  throughput: { toSalesOrder: number | undefined; toInvoiced: number | undefined };
  latencyMs: Record<string, Percentiles | undefined>;
  historyEvents: Percentiles | undefined;
  /** Encoded history size per workflow, all runs, in bytes. */
  historyBytes: Percentiles | undefined;
  /** Billable Temporal actions per workflow, mean by kind (`actions.ts`). */
  actionsPerWorkflow: ActionCounts | undefined;
  activitiesPerWorkflow: number | undefined;
  workerPeakRssBytes: number | undefined;
  /** Resident set size once every workflow of the phase has completed (still cached in the worker). */
  workerRssAtEndBytes: number | undefined;
  /** CPU seconds of the phase (from the first start to the last completion) by process. */
  cpu: CpuSeconds;
}

export interface CpuSeconds {
  wallSeconds: number;
  worker?: number;
  benchAndSandboxes: number;
  temporalServer?: number;
}

export function summarize(
  timelines: RunTimeline[],
  failures: PhaseResult['failures'],
  workerPeakRssBytes: number | undefined,
  workerRssAtEndBytes: number | undefined,
  cpu: CpuSeconds,
): PhaseResult {
  const first = Math.min(...timelines.map((t) => t.started));
  const rate = (ends: (number | undefined)[]) => {
    if (ends.length === 0 || ends.some((end) => end === undefined)) return undefined;
    const last = Math.max(...(ends as number[]));
    return last > first ? (ends.length * 1000) / (last - first) : undefined;
  };
  const latencyMs: PhaseResult['latencyMs'] = {};
  for (const [name, measure] of Object.entries(STAGES)) {
    latencyMs[name] = percentiles(
      timelines.map(measure).filter((value): value is number => value !== undefined),
    );
  }
  return {
    workflows: timelines.length,
    completed: timelines.filter((t) => t.completed !== undefined).length,
    failures,
    throughput: {
      toSalesOrder: rate(timelines.map((t) => t.salesOrderCreated)),
      toInvoiced: rate(timelines.map((t) => t.completed)),
    },
    latencyMs,
    historyEvents: percentiles(timelines.map((t) => t.events)),
    historyBytes: percentiles(timelines.map((t) => t.historyBytes)),
    actionsPerWorkflow: meanActions(timelines.map((t) => t.actions)),
    activitiesPerWorkflow: timelines[0]?.activities.length,
    workerPeakRssBytes,
    workerRssAtEndBytes,
    cpu,
  };
}

/** The mean of each kind of action over workflows; undefined when there are none. */
export function meanActions(counts: readonly ActionCounts[]): ActionCounts | undefined {
  if (counts.length === 0) return undefined;
  const mean = (kind: keyof ActionCounts) => counts.reduce((sum, c) => sum + c[kind], 0) / counts.length;
  return actionCountsFrom(mean);
}

export const round = (value: number | undefined, digits = 2) =>
  value === undefined ? '–' : String(Math.round(value * 10 ** digits) / 10 ** digits);
export const mb = (bytes: number | undefined) =>
  bytes === undefined ? '–' : `${Math.round(bytes / 1024 / 1024)} MB`;
