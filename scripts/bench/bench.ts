import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { loadConfig } from '../../config/config';
import { startSandboxes, type RunningSandboxes } from '../../sandboxes';
import { floorInvoicing } from '../../workflows/bench';
import { IntegrationStage } from '../../workflows/search-attributes';
import { approveInvoicingUpdate, invoicePostedSignal } from '../../workflows/work-order/messages';
import { startDevServer } from '../dev-server';
import { driveToCompletion, inParallel, waitForStage } from './drive';
import { readTimeline, type RunTimeline } from './history';
import { writeWorkflowBundle } from '../bundle-workflows';
import { idleMarkdown, measureIdle } from './idle';
import { childPid, CpuMeter, startChildWorker, type ChildWorker } from './processes';
import { mb, type PhaseResult, requestsPerWorkOrder, round, summarize } from './report';
import { SandboxClient, type RequestStats, type Service } from './sandbox-client';

const USAGE = [
  'npm run bench -- --work-orders N --lines K [--in-memory] [--timeout-minutes M] [--out file.json]',
  'npm run bench -- --idle --work-orders N [--lines K] [--window-seconds S] [--watch-every "1 minute"]',
].join('\n');

function parseOptions() {
  const { values } = parseArgs({
    options: {
      'work-orders': { type: 'string', default: '50' },
      lines: { type: 'string', default: '10' },
      'in-memory': { type: 'boolean', default: false },
      idle: { type: 'boolean', default: false },
      'window-seconds': { type: 'string', default: '120' },
      'watch-every': { type: 'string', default: '1 minute' },
      'timeout-minutes': { type: 'string', default: '15' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const workOrders = Number(values['work-orders']);
  const lines = Number(values.lines);
  const timeoutMinutes = Number(values['timeout-minutes']);
  if (
    !Number.isInteger(workOrders) ||
    workOrders < 1 ||
    !Number.isInteger(lines) ||
    lines < 1 ||
    !(timeoutMinutes > 0)
  ) {
    console.error(`--work-orders and --lines must be positive integers\n${USAGE}`);
    process.exit(2);
  }
  return {
    workOrders,
    lines,
    inMemory: values['in-memory'],
    idle: values.idle,
    windowSeconds: Math.max(10, Number(values['window-seconds']) || 120),
    watchEvery: values['watch-every'],
    timeoutMs: timeoutMinutes * 60_000,
    out: values.out,
  };
}

type Stats = Record<Service, RequestStats>;

async function timelines(client: Client, ids: readonly string[]): Promise<RunTimeline[]> {
  const result: RunTimeline[] = [];
  await inParallel(ids, 8, async (id) => {
    result.push(await readTimeline(client, id));
  });
  return result;
}

function perEntitySetTable(title: string, stats: Stats, workOrders: number): string {
  const { total, byEntitySet } = requestsPerWorkOrder(stats, workOrders);
  const rows = Object.entries(byEntitySet)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, count]) => `| ${key} | ${round(count)} |`);
  return [
    `| ${title} | requests per work order |`,
    '| --- | ---: |',
    ...rows,
    `| **Dynamics 365 total (without token)** | **${round(total)}** |`,
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions();
  const loadBefore = loadavg();
  const runId = randomUUID().slice(0, 6).toUpperCase();
  const dataDir = resolve(__dirname, '..', '..', '.data', 'bench');
  mkdirSync(dataDir, { recursive: true });
  const dbFilename = options.inMemory ? undefined : resolve(dataDir, `temporal-${runId}.sqlite`);
  const log = (message: string) =>
    console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

  let server: TestWorkflowEnvironment | undefined;
  let sandboxes: RunningSandboxes | undefined;
  let worker: ChildWorker | undefined;
  try {
    log(`Temporal dev server (${dbFilename ? `SQLite file with WAL pragmas: ${dbFilename}` : 'in memory'})`);
    server = await startDevServer({ dbFilename });
    sandboxes = await startSandboxes({ seed: true });
    const client = server.client;
    const sandbox = new SandboxClient(sandboxes);
    const { urls, app } = sandboxes;
    const env = {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: `bench-product-${runId}`,
      FS_URL: urls.dataverse,
      FNO_URL: urls.finance,
      AZURE_TENANT_ID: app.tenantId,
      AZURE_CLIENT_ID: app.clientId,
      AZURE_CLIENT_SECRET: app.clientSecret,
      AZURE_TOKEN_URL: `${urls.token}/${app.tenantId}/oauth2/v2.0/token`,
      APPROVAL_POLICY: 'never',
    };
    const config = loadConfig(env);
    const company = config.finance.company;

    const number = (i: number) => `B${runId}-${String(i).padStart(4, '0')}`;
    const warmUp = number(0);
    const calibration = number(1);
    const measured = Array.from({ length: options.workOrders }, (_, i) => number(i + 2));
    log(`creating ${measured.length + 2} work orders with ${options.lines} lines in Field Service`);
    await inParallel([warmUp, calibration, ...measured], 4, (wo) =>
      sandbox.createCompletedWorkOrder(wo, options.lines),
    );

    // As in production (Dockerfile): the workflows bundled before the worker starts.
    const workflowBundle = resolve(dataDir, `workflow-bundle-${runId}.js`);
    await writeWorkflowBundle(workflowBundle);
    log('product worker (worker/main.ts, child process, pre-built workflow bundle)');
    worker = await startChildWorker('worker/main.ts', { ...env, WORKFLOW_BUNDLE: workflowBundle }, 'worker');
    if (options.idle) {
      const windows = await measureIdle(
        client,
        config,
        sandbox,
        worker,
        measured,
        {
          workOrders: options.workOrders,
          windowSeconds: options.windowSeconds,
          watchEvery: options.watchEvery,
          deadline: Date.now() + options.timeoutMs,
        },
        log,
      );
      const at = new Date().toISOString();
      const idleResult = {
        runId,
        at,
        mode: 'idle',
        parameters: {
          workOrders: options.workOrders,
          lines: options.lines,
          windowSeconds: options.windowSeconds,
          watchEvery: options.watchEvery,
        },
        machine: machineFacts(loadBefore, dbFilename),
        workerPeakRssBytes: worker.peakRss(),
        windows,
      };
      const out = options.out
        ? resolve(options.out)
        : resolve(dataDir, `idle-${at.replace(/[:.]/g, '-')}.json`);
      writeFileSync(out, `${JSON.stringify(idleResult, null, 2)}\n`);
      console.log(
        `${idleMarkdown(windows, options.watchEvery)}\n\nworker peak RSS: ${mb(idleResult.workerPeakRssBytes)}\n\nJSON: ${out}`,
      );
      return;
    }
    const postAndSignal = async (workflowId: string) => {
      const salesOrder = workflowId.slice('work-order-'.length);
      const invoiceNumber = await sandbox.postInvoice(company, salesOrder);
      await client.workflow
        .getHandle(workflowId)
        .signal(invoicePostedSignal, { invoiceNumber, legalEntity: company });
    };

    // Warm-up: the worker's caches (tokens, units, currencies) and the workflow bundle's first run.
    log('warm-up work order');
    await startWorkOrder(client, config, warmUp);
    const warmUpFailures = await driveToCompletion(client, [workOrderWorkflowId(warmUp)], {
      taskQueue: config.temporal.taskQueue,
      onAwaitingInvoice: postAndSignal,
      deadline: Date.now() + 120_000,
    });
    if (warmUpFailures.length > 0) throw new Error(`warm-up failed: ${JSON.stringify(warmUpFailures)}`);
    const shape = await readTimeline(client, workOrderWorkflowId(warmUp));

    // Calibration: one work order alone, stopped at approval, so each step's requests are counted apart.
    log('calibration work order (requests per step)');
    const calibrationId = workOrderWorkflowId(calibration);
    await sandbox.resetStats();
    await startWorkOrder(client, { ...config, approvalPolicy: 'always' }, calibration);
    await waitForStage(client, calibrationId, 'AwaitingApproval');
    const toSalesOrder = await sandbox.stats();
    await sandbox.resetStats();
    await client.workflow
      .getHandle(calibrationId)
      .executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'bench' }] });
    await waitForStage(client, calibrationId, 'AwaitingInvoice');
    const approvalAndResync = await sandbox.stats();
    await sandbox.resetStats();
    await postAndSignal(calibrationId);
    await waitForStage(client, calibrationId, 'completed');
    const invoiceDetectionAndRecording = await sandbox.stats();

    // The measured run: N work orders at once, approval policy never.
    log(`product run: ${options.workOrders} work orders`);
    await sandbox.resetStats();
    const productIds = measured.map(workOrderWorkflowId);
    const productStart = Date.now();
    const productCpu = new CpuMeter(worker.process.pid, childPid('temporal'));
    await inParallel(measured, 16, async (wo) => {
      await startWorkOrder(client, config, wo);
    });
    const productFailures = await driveToCompletion(client, productIds, {
      taskQueue: config.temporal.taskQueue,
      onAwaitingInvoice: postAndSignal,
      deadline: productStart + options.timeoutMs,
    });
    const productCpuUsed = productCpu.read();
    const productStats = await sandbox.stats();
    const productRss = worker.peakRss();
    const productRssAtEnd = worker.rss();
    await worker.stop();
    worker = undefined;
    const product = summarize(
      await timelines(client, productIds),
      productFailures,
      productRss,
      productRssAtEnd,
      productCpuUsed,
    );
    log(`product run done in ${Math.round((Date.now() - productStart) / 1000)} s`);

    // The floor: the same activities (names and order, from the warm-up's history), no I/O, same stack.
    const beforeWait = shape.activities.slice(0, shape.activitiesBeforeSignal);
    const afterWait = shape.activities.slice(shape.activitiesBeforeSignal);
    const floorQueue = `bench-floor-${runId}`;
    log(`floor run: ${options.workOrders} workflows of ${shape.activities.length} no-op activities`);
    worker = await startChildWorker(
      'scripts/bench/floor-worker.ts',
      {
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_TASK_QUEUE: floorQueue,
        BENCH_FLOOR_ACTIVITIES: [...new Set(shape.activities)].join(','),
      },
      'floor-worker',
    );
    const floorIds = measured.map((wo) => `bench-floor-${wo}`);
    const floorStart = Date.now();
    const floorCpu = new CpuMeter(worker.process.pid, childPid('temporal'));
    await inParallel(floorIds, 16, async (workflowId) => {
      await client.workflow.start(floorInvoicing, {
        workflowId,
        taskQueue: floorQueue,
        args: [{ beforeWait, afterWait }],
        typedSearchAttributes: [{ key: IntegrationStage, value: 'SyncingMasterData' }],
      });
    });
    const floorFailures = await driveToCompletion(client, floorIds, {
      taskQueue: floorQueue,
      onAwaitingInvoice: (workflowId) =>
        client.workflow
          .getHandle(workflowId)
          .signal(invoicePostedSignal, { invoiceNumber: 'FLOOR', legalEntity: company }),
      deadline: floorStart + options.timeoutMs,
    });
    const floorCpuUsed = floorCpu.read();
    const floorRss = worker.peakRss();
    const floorRssAtEnd = worker.rss();
    await worker.stop();
    worker = undefined;
    const floor = summarize(
      await timelines(client, floorIds),
      floorFailures,
      floorRss,
      floorRssAtEnd,
      floorCpuUsed,
    );
    log(`floor run done in ${Math.round((Date.now() - floorStart) / 1000)} s`);

    const result = {
      runId,
      at: new Date().toISOString(),
      parameters: { workOrders: options.workOrders, lines: options.lines },
      machine: machineFacts(loadBefore, dbFilename),
      activities: { beforeInvoice: beforeWait, afterInvoice: afterWait },
      product,
      floor,
      ratio: {
        toSalesOrder:
          product.throughput.toSalesOrder && floor.throughput.toSalesOrder
            ? product.throughput.toSalesOrder / floor.throughput.toSalesOrder
            : undefined,
        toInvoiced:
          product.throughput.toInvoiced && floor.throughput.toInvoiced
            ? product.throughput.toInvoiced / floor.throughput.toInvoiced
            : undefined,
      },
      requests: {
        perWorkOrder: requestsPerWorkOrder(productStats, options.workOrders),
        calibration: {
          toSalesOrder: requestsPerWorkOrder(toSalesOrder, 1),
          approvalCloseAndResync: requestsPerWorkOrder(approvalAndResync, 1),
          invoiceDetectionAndRecording: requestsPerWorkOrder(invoiceDetectionAndRecording, 1),
        },
        raw: { run: productStats, toSalesOrder, approvalAndResync, invoiceDetectionAndRecording },
      },
    };
    const out = options.out
      ? resolve(options.out)
      : resolve(dataDir, `bench-${result.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(markdown(result, out));
    const failed = product.failures.length + floor.failures.length;
    if (failed > 0) {
      console.error(
        `${failed} workflow(s) did not complete: ${JSON.stringify([...product.failures, ...floor.failures].slice(0, 10))}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await worker?.stop();
    await sandboxes?.close();
    await server?.teardown();
    if (dbFilename)
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbFilename}${suffix}`, { force: true });
  }
}

function machineFacts(loadBefore: number[], dbFilename: string | undefined) {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryBytes: totalmem(),
    node: process.version,
    loadAverage: { before: loadBefore, after: loadavg() },
    platform: `${process.platform} ${process.arch}`,
    temporal: dbFilename
      ? 'dev server, SQLite file, journal_mode=WAL, synchronous=NORMAL'
      : 'dev server, in memory',
  };
}

type Result = {
  parameters: { workOrders: number; lines: number };
  machine: Record<string, unknown>;
  product: PhaseResult;
  floor: PhaseResult;
  ratio: { toSalesOrder?: number; toInvoiced?: number };
  requests: {
    raw: Record<'run' | 'toSalesOrder' | 'approvalAndResync' | 'invoiceDetectionAndRecording', Stats>;
    calibration: Record<string, { total: number }>;
  };
};

function markdown(result: Result, out: string): string {
  const { product, floor, parameters } = result;
  const perWo = (phase: PhaseResult, process: 'worker' | 'temporalServer' | 'benchAndSandboxes') => {
    const seconds = phase.cpu[process];
    return seconds === undefined ? '–' : String(Math.round((seconds * 1000) / phase.workflows));
  };
  const pct = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value * 100)} %`);
  const lines = [
    `## Benchmark: ${parameters.workOrders} work orders × ${parameters.lines} lines (${result.machine.cpus} cores, ${result.machine.temporal})`,
    '',
    '| | product | floor (no-op activities) | product / floor |',
    '| --- | ---: | ---: | ---: |',
    `| work orders/s to sales order created | ${round(product.throughput.toSalesOrder)} | ${round(floor.throughput.toSalesOrder)} | ${pct(result.ratio.toSalesOrder)} |`,
    `| work orders/s to invoiced | ${round(product.throughput.toInvoiced)} | ${round(floor.throughput.toInvoiced)} | ${pct(result.ratio.toInvoiced)} |`,
    `| completed / started | ${product.completed} / ${product.workflows} | ${floor.completed} / ${floor.workflows} | |`,
    `| activities per workflow | ${product.activitiesPerWorkflow ?? '–'} | ${floor.activitiesPerWorkflow ?? '–'} | |`,
    `| history events per workflow (p50 / max) | ${product.historyEvents?.p50 ?? '–'} / ${product.historyEvents?.max ?? '–'} | ${floor.historyEvents?.p50 ?? '–'} / ${floor.historyEvents?.max ?? '–'} | |`,
    `| worker peak RSS (VmHWM; workflows pre-bundled, 100 cached at the end) | ${mb(product.workerPeakRssBytes)} | ${mb(floor.workerPeakRssBytes)} | |`,
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
    perEntitySetTable(
      'measured run: service, method, entity set',
      result.requests.raw.run,
      parameters.workOrders,
    ),
    '',
    perEntitySetTable(
      'one work order alone: to sales order (stopped at approval)',
      result.requests.raw.toSalesOrder,
      1,
    ),
    '',
    perEntitySetTable(
      'one work order alone: approval → close → re-sync',
      result.requests.raw.approvalAndResync,
      1,
    ),
    '',
    perEntitySetTable(
      'one work order alone: invoice detection and recording',
      result.requests.raw.invoiceDetectionAndRecording,
      1,
    ),
    '',
    `JSON: ${out}`,
  ];
  return lines.join('\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
