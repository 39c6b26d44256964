/** Issue 17's goals ("Done when"), each judged met or missed from one run's figures. */

export type GoalStatus = 'met' | 'missed' | 'not judged';

export interface GoalResult {
  goal: string;
  /** The measured value as printed (with its unit). */
  measured: string;
  /** The bound as printed. */
  target: string;
  status: GoalStatus;
  /** Why a goal is not judged, or what the figure is. */
  note?: string;
}

export interface RunFigures {
  workOrders: number;
  lines: number;
  throughputRatio: { toSalesOrder?: number; toInvoiced?: number };
  /** CPU ms per work order, worker + Temporal server. */
  cpuMsPerWorkOrder: { product?: number; floor?: number };
  /** Dynamics 365 requests per work order (token requests left out). */
  requests: { wholePath?: number; toSalesOrder?: number };
  /** p95 over the product run's work orders. */
  historyEventsP95?: number;
  historyBytesP95?: number;
  workerPeakRssBytes?: number;
  /** Completion in Field Service → sales order created, one work order at a time. */
  unloadedLatencyP50Ms?: number;
}

export interface IdleFigures {
  windows: { waiting: number; workerRssBytes?: number; dataverseTotalPerHour: number }[];
}

const MB = 1024 * 1024;
const KB = 1024;
const pct = (value: number) => `${Math.round(value * 100)} %`;
const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
const fixed = (value: number) => String(Math.round(value * 100) / 100);

function judge(
  goal: string,
  value: number | undefined,
  target: string,
  ok: (value: number) => boolean,
  show: (value: number) => string,
  notJudged?: string,
): GoalResult {
  if (value === undefined) return { goal, measured: '–', target, status: 'not judged', note: 'not measured' };
  const measured = show(value);
  if (notJudged) return { goal, measured, target, status: 'not judged', note: notJudged };
  return { goal, measured, target, status: ok(value) ? 'met' : 'missed' };
}

/** The goals of `npm run bench -- --work-orders 100 --lines 10`. */
export function runGoals(figures: RunFigures): GoalResult[] {
  const { product, floor } = figures.cpuMsPerWorkOrder;
  const cpuRatio = product && floor !== undefined ? floor / product : undefined;
  const tenLines =
    figures.lines === 10 ? undefined : `the goal is for 10-line work orders; this run has ${figures.lines}`;
  const hundredInFlight =
    figures.workOrders >= 100
      ? undefined
      : `the goal is for 100 in flight; this run had ${figures.workOrders}`;
  return [
    judge(
      'throughput to sales order, product / floor',
      figures.throughputRatio.toSalesOrder,
      '≥ 70 %',
      (v) => v >= 0.7,
      pct,
    ),
    judge(
      'throughput to invoiced, product / floor',
      figures.throughputRatio.toInvoiced,
      '≥ 70 %',
      (v) => v >= 0.7,
      pct,
    ),
    judge(
      'CPU per work order (worker + Temporal server), floor / product',
      cpuRatio,
      '≥ 70 %',
      (v) => v >= 0.7,
      (v) => `${pct(v)} (${Math.round(product!)} ms vs ${Math.round(floor!)} ms)`,
    ),
    judge(
      'Dynamics 365 requests per work order, whole path',
      figures.requests.wholePath,
      '≤ 10',
      (v) => v <= 10,
      fixed,
    ),
    judge(
      'Dynamics 365 requests per work order, to the sales order',
      figures.requests.toSalesOrder,
      '≤ 4',
      (v) => v <= 4,
      fixed,
    ),
    judge(
      'history events per work order (p95)',
      figures.historyEventsP95,
      '≤ 60',
      (v) => v <= 60,
      String,
      tenLines,
    ),
    judge(
      'history size per work order (p95)',
      figures.historyBytesP95,
      '≤ 32 KB',
      (v) => v <= 32 * KB,
      kb,
      tenLines,
    ),
    judge(
      `worker peak RSS, ${figures.workOrders} in flight`,
      figures.workerPeakRssBytes,
      '≤ 300 MB with 100 in flight',
      (v) => v <= 300 * MB,
      mb,
      hundredInFlight,
    ),
    judge(
      'unloaded latency, completion → sales order (p50)',
      figures.unloadedLatencyP50Ms,
      '< 1 s',
      (v) => v < 1000,
      (v) => `${(v / 1000).toFixed(2)} s`,
    ),
  ];
}

/**
 * The goals of `npm run bench -- --idle --work-orders 2000`: both sizes come from the same run (a tenth of
 * the work orders waiting, then all of them), so the first window is the baseline of the last.
 */
export function idleGoals({ windows }: IdleFigures): GoalResult[] {
  const first = windows[0];
  const last = windows.at(-1);
  const growth =
    first && last && windows.length > 1
      ? first.dataverseTotalPerHour > 0
        ? last.dataverseTotalPerHour / first.dataverseTotalPerHour
        : last.dataverseTotalPerHour > 0
          ? Infinity
          : 1
      : undefined;
  return [
    judge(
      `worker RSS, ${last?.waiting ?? 0} waiting`,
      last?.workerRssBytes,
      '≤ 400 MB at 2,000 waiting',
      (v) => v <= 400 * MB,
      mb,
      (last?.waiting ?? 0) >= 2000
        ? undefined
        : `the goal is for 2,000 waiting; this run had ${last?.waiting ?? 0}`,
    ),
    judge(
      `Dataverse requests per hour, ${last?.waiting ?? 0} waiting / ${first?.waiting ?? 0} waiting`,
      growth,
      '≤ 2×',
      (v) => v <= 2,
      (v) =>
        `${Number.isFinite(v) ? `${fixed(v)}×` : '∞'} (${Math.round(last!.dataverseTotalPerHour)}/h vs ${Math.round(first!.dataverseTotalPerHour)}/h)`,
    ),
  ];
}

export function goalsMarkdown(goals: readonly GoalResult[]): string {
  return [
    '### Goals (issue 17, "Done when")',
    '',
    '| goal | measured | target | result |',
    '| --- | ---: | ---: | --- |',
    ...goals.map(
      (g) =>
        `| ${g.goal} | ${g.measured} | ${g.target} | ${g.status === 'met' ? 'met' : g.status === 'missed' ? '**missed**' : `not judged: ${g.note}`} |`,
    ),
  ].join('\n');
}
