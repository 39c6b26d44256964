import type { Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { msToNumber } from '@temporalio/common/lib/time';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { loadConfig } from '../../config/config';
import { startSandboxes, type RunningSandboxes } from '../../sandboxes';
import { floorInvoicing } from '../../workflows/bench';
import { IntegrationStage } from '../../workflows/search-attributes';
import { invoicePostedSignal } from '../../workflows/work-order/messages';
import { startDevServer } from '../dev-server';
import { calibrate } from './calibration';
import { driveToCompletion, inParallel } from './drive';
import { goalsMarkdown, idleGoals, runGoals } from './goals';
import { readTimeline, type RunTimeline } from './history';
import { idleMarkdown, measureIdle } from './idle';
import { type LatencyVia, measureUnloadedLatency, type UnloadedLatency } from './latency';
import { runMarkdown } from './markdown';
import { childPid, CpuMeter, startBuiltWorker, startChildWorker, type ChildWorker } from './processes';
import { mb, type PhaseResult, summarize } from './report';
import { requestsPerWorkOrder } from './request-counts';
import { SandboxClient } from './sandbox-client';
import { BenchWatchers, PRODUCT_WATCH_EVERY } from './watchers';
import { startBenchWebhook, type BenchWebhook } from './webhook';

const USAGE = [
  'npm run bench -- --work-orders N --lines K [--latency-runs R] [--latency-via webhook|watcher]',
  '                 [--watch-every "1 minute"] [--in-memory]',
  '                 [--timeout-minutes M] [--out file.json]',
  'npm run bench -- --idle --work-orders N [--lines K] [--window-seconds S] [--watch-every "1 minute"]',
  '',
  '  --work-orders N    work orders of the product run and of the floor (50); --idle: waiting at the end',
  '  --lines K          used lines per work order (10)',
  '  --latency-runs R   work orders completed one at a time for the unloaded latency (20; 0: none)',
  '  --latency-via V    what reports each completion: webhook (the Dataverse webhook step and the',
  "                     product's webhook process, the default) or watcher (its next run only)",
  `  --watch-every I    interval of the watcher schedules (${PRODUCT_WATCH_EVERY}, as npm start applies them)`,
  '  --window-seconds S --idle: how long each idle window is counted (120)',
  '  --out file.json    where the JSON goes (default .data/bench/)',
  '',
  'Prints the figures, then each goal of issue 17 as met, missed or not judged (in the JSON too).',
].join('\n');

function parseOptions() {
  const { values } = parseArgs({
    options: {
      'work-orders': { type: 'string', default: '50' },
      lines: { type: 'string', default: '10' },
      'in-memory': { type: 'boolean', default: false },
      idle: { type: 'boolean', default: false },
      'window-seconds': { type: 'string', default: '120' },
      'watch-every': { type: 'string', default: PRODUCT_WATCH_EVERY },
      'latency-runs': { type: 'string', default: '20' },
      'latency-via': { type: 'string', default: 'webhook' },
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
  const latencyRuns = Number(values['latency-runs']);
  if (
    !Number.isInteger(workOrders) ||
    workOrders < 1 ||
    !Number.isInteger(lines) ||
    lines < 1 ||
    !Number.isInteger(latencyRuns) ||
    latencyRuns < 0 ||
    !(timeoutMinutes > 0)
  ) {
    console.error(
      `--work-orders and --lines must be positive integers, --latency-runs a whole number\n${USAGE}`,
    );
    process.exit(2);
  }
  const latencyVia = values['latency-via'];
  if (latencyVia !== 'webhook' && latencyVia !== 'watcher') {
    console.error(`--latency-via must be webhook or watcher\n${USAGE}`);
    process.exit(2);
  }
  let watchEveryMs: number;
  try {
    watchEveryMs = msToNumber(values['watch-every'] as Duration);
  } catch {
    console.error(`--watch-every must be a duration such as "1 minute" or "30 seconds"\n${USAGE}`);
    process.exit(2);
  }
  return {
    workOrders,
    lines,
    inMemory: values['in-memory'],
    idle: values.idle,
    windowSeconds: Math.max(10, Number(values['window-seconds']) || 120),
    watchEvery: values['watch-every'],
    watchEveryMs,
    latencyRuns,
    latencyVia: latencyVia as LatencyVia,
    timeoutMs: timeoutMinutes * 60_000,
    out: values.out,
  };
}

async function timelines(client: Client, ids: readonly string[]): Promise<RunTimeline[]> {
  const result: RunTimeline[] = [];
  await inParallel(ids, 8, async (id) => {
    result.push(await readTimeline(client, id));
  });
  return result;
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
  let webhook: BenchWebhook | undefined;
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
    const calibrationNumber = number(1);
    const measured = Array.from({ length: options.workOrders }, (_, i) => number(i + 2));
    log(`creating ${measured.length + 2} work orders with ${options.lines} lines in Field Service`);
    await inParallel([warmUp, calibrationNumber, ...measured], 4, (wo) =>
      sandbox.createCompletedWorkOrder(wo, options.lines),
    );

    // As in production (Dockerfile): built JavaScript, the workflows bundled before the worker starts.
    log('npm run build; product worker (dist/worker/main.js, child process, its Node flags)');
    execFileSync('npm', ['run', 'build'], { cwd: resolve(__dirname, '..', '..'), stdio: 'ignore' });
    worker = await startBuiltWorker(env);
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
        goals: idleGoals({ windows }),
      };
      const out = options.out
        ? resolve(options.out)
        : resolve(dataDir, `idle-${at.replace(/[:.]/g, '-')}.json`);
      writeFileSync(out, `${JSON.stringify(idleResult, null, 2)}\n`);
      console.log(
        `${idleMarkdown(windows, options.watchEvery)}\n\nworker peak RSS: ${mb(idleResult.workerPeakRssBytes)}\n\n${goalsMarkdown(idleResult.goals)}\n\nJSON: ${out}`,
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

    // The watchers as npm start applies them, reading only what changes from now on (the benchmark's
    // own work orders were completed before); paused while one work order is calibrated.
    const watchers = await BenchWatchers.apply(client, config, {
      every: options.watchEvery,
      since: new Date(),
      paused: true,
    });
    log('calibration work order (requests per step, each write reported back by the watcher)');
    const calibration = await calibrate(client, config, sandbox, watchers, calibrationNumber, postAndSignal);

    // The measured run: N work orders at once, approval policy never, the watcher schedules running.
    log(`product run: ${options.workOrders} work orders, watchers every ${options.watchEvery}`);
    await sandbox.resetStats();
    await watchers.resume();
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
    const productRss = worker.peakRss();
    const productRssAtEnd = worker.rss();
    // What the workflows wrote after the watchers' last run is reported as their next run would.
    for (const id of watchers.scheduleIds) await watchers.runOnce(id);
    const productStats = await sandbox.stats();
    const product = summarize(
      await timelines(client, productIds),
      productFailures,
      productRss,
      productRssAtEnd,
      productCpuUsed,
    );
    log(`product run done in ${Math.round((Date.now() - productStart) / 1000)} s`);

    let latency: UnloadedLatency | undefined;
    if (options.latencyRuns > 0) {
      const viaWebhook = options.latencyVia === 'webhook';
      if (viaWebhook) log('webhook process (client/webhook/main.ts, child process), registered in Dataverse');
      webhook = viaWebhook ? await startBenchWebhook(env) : undefined;
      latency = await measureUnloadedLatency(
        client,
        sandbox,
        Array.from({ length: options.latencyRuns }, (_, i) => `L${runId}-${String(i).padStart(3, '0')}`),
        {
          via: options.latencyVia,
          lines: options.lines,
          watchEvery: options.watchEvery,
          timeoutMsEach: (viaWebhook ? 0 : options.watchEveryMs) + 120_000,
        },
        log,
      );
      await webhook?.stop();
      webhook = undefined;
    }
    await watchers.pause();
    await worker.stop();
    worker = undefined;

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

    const cpuMs = (phase: PhaseResult) =>
      phase.cpu.worker === undefined || phase.cpu.temporalServer === undefined
        ? undefined
        : ((phase.cpu.worker + phase.cpu.temporalServer) * 1000) / phase.workflows;
    const ratio = {
      toSalesOrder:
        product.throughput.toSalesOrder && floor.throughput.toSalesOrder
          ? product.throughput.toSalesOrder / floor.throughput.toSalesOrder
          : undefined,
      toInvoiced:
        product.throughput.toInvoiced && floor.throughput.toInvoiced
          ? product.throughput.toInvoiced / floor.throughput.toInvoiced
          : undefined,
    };
    const goals = runGoals({
      workOrders: options.workOrders,
      lines: options.lines,
      throughputRatio: ratio,
      cpuMsPerWorkOrder: { product: cpuMs(product), floor: cpuMs(floor) },
      requests: {
        wholePath: calibration.wholePath.total,
        toSalesOrder: calibration.steps.toSalesOrder.total,
      },
      historyEventsP95: product.historyEvents?.p95,
      historyBytesP95: product.historyBytes?.p95,
      workerPeakRssBytes: product.workerPeakRssBytes,
      unloadedLatencyP50Ms: latency?.totalMs?.p50,
    });
    const result = {
      runId,
      at: new Date().toISOString(),
      parameters: {
        workOrders: options.workOrders,
        lines: options.lines,
        watchEvery: options.watchEvery,
        watchers: watchers.scheduleIds,
        latencyRuns: options.latencyRuns,
        latencyVia: options.latencyVia,
      },
      machine: machineFacts(loadBefore, dbFilename),
      activities: { beforeInvoice: beforeWait, afterInvoice: afterWait },
      product,
      floor,
      ratio,
      requests: {
        productRun: requestsPerWorkOrder(productStats, options.workOrders),
        calibration,
        rawProductRun: productStats,
      },
      latency,
      goals,
    };
    const out = options.out
      ? resolve(options.out)
      : resolve(dataDir, `bench-${result.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(runMarkdown(result, out));
    const failed = product.failures.length + floor.failures.length;
    if (failed > 0) {
      console.error(
        `${failed} workflow(s) did not complete: ${JSON.stringify([...product.failures, ...floor.failures].slice(0, 10))}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await webhook?.stop();
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

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
