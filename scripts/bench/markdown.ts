import { ACTION_KINDS, type ActionCounts } from './actions';
import type { Calibration } from './calibration';
import { goalsMarkdown, type GoalResult } from './goals';
import type { UnloadedLatency } from './latency';
import { mb, type Percentiles, type PhaseResult, round } from './report';
import type { RequestsPerWorkOrder } from './request-counts';

export interface RunReport {
  parameters: { workOrders: number; lines: number; watchEvery: string; watchers: string[] };
  machine: { cpus: number; temporal: string };
  product: PhaseResult;
  floor: PhaseResult;
  ratio: { toSalesOrder?: number; toInvoiced?: number };
  requests: { productRun: RequestsPerWorkOrder; calibration: Calibration };
  latency: UnloadedLatency | undefined;
  goals: GoalResult[];
}

const pct = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value * 100)} %`);
const spread = (p: Percentiles | undefined, show: (v: number) => string = String) =>
  p ? `${show(p.p50)} / ${show(p.p95)} / ${show(p.max)}` : '–';
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function requestsTable(title: string, figures: RequestsPerWorkOrder): string {
  const rows = Object.entries(figures.byEntitySet)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, count]) => `| ${key} | ${round(count)} |`);
  return [
    `| ${title} | requests per work order |`,
    '| --- | ---: |',
    ...rows,
    `| **Dynamics 365 total (Dataverse ${round(figures.byService.dataverse)}, F&O ${round(figures.byService.finance)}; without token)** | **${round(figures.total)}** |`,
  ].join('\n');
}

function actionsTable(product: ActionCounts | undefined, floor: ActionCounts | undefined): string {
  return [
    '| Temporal actions per work order (from the histories) | product | floor |',
    '| --- | ---: | ---: |',
    ...ACTION_KINDS.filter((kind) => (product?.[kind] ?? 0) + (floor?.[kind] ?? 0) > 0).map(
      (kind) => `| ${kind} | ${round(product?.[kind])} | ${round(floor?.[kind])} |`,
    ),
    `| **total** | **${round(product?.total)}** | **${round(floor?.total)}** |`,
  ].join('\n');
}

function latencyTable(latency: UnloadedLatency | undefined): string {
  if (!latency) return 'Unloaded latency: not measured (`--latency-runs 0`).';
  const ms = (p: Percentiles | undefined) => (p ? `${p.p50} | ${p.p95} | ${p.max}` : '– | – | –');
  const webhook = latency.via === 'webhook';
  const detection = webhook
    ? 'the Dataverse webhook step (asynchronous, post-operation) → webhook endpoint'
    : `work order watcher every ${latency.watchEvery}`;
  return [
    `| unloaded latency, ${latency.samples.length} work orders one at a time (${detection}), ms | p50 | p95 | max |`,
    '| --- | ---: | ---: | ---: |',
    `| completed in Field Service → sales order created in F&O | ${ms(latency.totalMs)} |`,
    `| — completed → workflow started (${webhook ? 'the webhook' : "the watcher's next run"}) | ${ms(latency.detectionMs)} |`,
    `| — workflow started → sales order created | ${ms(latency.processingMs)} |`,
    '',
    webhook
      ? `The webhook starts the workflow once Dataverse has delivered the step; the watcher (every ${latency.watchEvery}) keeps running as the safety net.`
      : `A completion waits up to one interval of the work order watcher (${latency.watchEvery}) for its next run; the split above shows how much of the latency that is.`,
  ].join('\n');
}

export function runMarkdown(result: RunReport, out: string): string {
  const { product, floor, parameters } = result;
  const perWo = (phase: PhaseResult, process: 'worker' | 'temporalServer' | 'benchAndSandboxes') => {
    const seconds = phase.cpu[process];
    return seconds === undefined ? '–' : String(Math.round((seconds * 1000) / phase.workflows));
  };
  const { steps, wholePath } = result.requests.calibration;
  return [
    `## Benchmark: ${parameters.workOrders} work orders × ${parameters.lines} lines (${result.machine.cpus} cores, ${result.machine.temporal})`,
    '',
    `Watcher schedules during the product run: ${parameters.watchers.join(', ') || 'none'}, every ${parameters.watchEvery}.`,
    '',
    '| | product | floor (no-op activities) | product / floor |',
    '| --- | ---: | ---: | ---: |',
    `| work orders/s to sales order created | ${round(product.throughput.toSalesOrder)} | ${round(floor.throughput.toSalesOrder)} | ${pct(result.ratio.toSalesOrder)} |`,
    `| work orders/s to invoiced | ${round(product.throughput.toInvoiced)} | ${round(floor.throughput.toInvoiced)} | ${pct(result.ratio.toInvoiced)} |`,
    `| completed / started | ${product.completed} / ${product.workflows} | ${floor.completed} / ${floor.workflows} | |`,
    `| activities per workflow | ${product.activitiesPerWorkflow ?? '–'} | ${floor.activitiesPerWorkflow ?? '–'} | |`,
    `| history events per workflow (p50 / p95 / max) | ${spread(product.historyEvents)} | ${spread(floor.historyEvents)} | |`,
    `| history size per workflow, encoded (p50 / p95 / max) | ${spread(product.historyBytes, kb)} | ${spread(floor.historyBytes, kb)} | |`,
    `| Temporal actions per workflow | ${round(product.actionsPerWorkflow?.total)} | ${round(floor.actionsPerWorkflow?.total)} | |`,
    `| worker peak RSS (VmHWM), ${product.workflows} in flight | ${mb(product.workerPeakRssBytes)} | ${mb(floor.workerPeakRssBytes)} | |`,
    `| worker RSS at the end of the run | ${mb(product.workerRssAtEndBytes)} | ${mb(floor.workerRssAtEndBytes)} | |`,
    `| phase wall time (s) | ${round(product.cpu.wallSeconds, 1)} | ${round(floor.cpu.wallSeconds, 1)} | |`,
    `| CPU ms per work order: worker | ${perWo(product, 'worker')} | ${perWo(floor, 'worker')} | |`,
    `| CPU ms per work order: Temporal dev server | ${perWo(product, 'temporalServer')} | ${perWo(floor, 'temporalServer')} | |`,
    `| CPU ms per work order: sandboxes + bench driver (one process) | ${perWo(product, 'benchAndSandboxes')} | ${perWo(floor, 'benchAndSandboxes')} | |`,
    '',
    '| latency per stage (ms) | product p50 | p95 | p99 | floor p50 | p95 | p99 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...Object.keys(product.latencyMs).map((stage) => {
      const p = product.latencyMs[stage];
      const f = floor.latencyMs[stage];
      return `| ${stage} | ${p?.p50 ?? '–'} | ${p?.p95 ?? '–'} | ${p?.p99 ?? '–'} | ${f?.p50 ?? '–'} | ${f?.p95 ?? '–'} | ${f?.p99 ?? '–'} |`;
    }),
    '',
    actionsTable(product.actionsPerWorkflow, floor.actionsPerWorkflow),
    '',
    requestsTable(
      'measured run, workflows and watchers over N (feedback only where a watcher run fell in an invoice wait)',
      result.requests.productRun,
    ),
    '',
    requestsTable('one work order alone: to sales order (stopped at approval)', steps.toSalesOrder),
    '',
    requestsTable('one work order alone: approval → close → re-sync', steps.approvalCloseAndResync),
    '',
    requestsTable(
      'one work order alone: the watcher reports its close back (feedback)',
      steps.closeReportedBack,
    ),
    '',
    requestsTable(
      'one work order alone: invoice detection and recording',
      steps.invoiceDetectionAndRecording,
    ),
    '',
    requestsTable(
      'one work order alone: the watcher reports its invoice fields back (feedback)',
      steps.invoiceReportedBack,
    ),
    '',
    requestsTable('one work order alone: whole path (the five steps above)', wholePath),
    '',
    latencyTable(result.latency),
    '',
    goalsMarkdown(result.goals),
    '',
    `JSON: ${out}`,
  ].join('\n');
}
