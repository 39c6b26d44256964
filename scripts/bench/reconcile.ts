import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { reconcileOutputSchema } from '../../client/reconcile/run';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import { loadConfig } from '../../config/config';
import { startSandboxes, type RunningSandboxes } from '../../sandboxes';
import { invoicePostedSignal } from '../../workflows/work-order/messages';
import { startDevServer } from '../dev-server';
import { driveToCompletion } from './drive';
import { childPid, cpuSecondsOf, startChildWorker } from './processes';
import { copyInvoicedWorkOrder, seedDrifts } from './reconcile-seed';
import { SandboxClient } from './sandbox-client';
import { frontendRequests, requestsBetween } from './temporal-metrics';

const USAGE = 'npm run bench:reconcile -- --work-orders N [--lines K] [--out file.json]';
const ROOT = resolve(__dirname, '..', '..');
/** How long before the run the copies were last changed: well outside reconcile's in-flight window. */
const COPIES_AGE_MS = 60 * 60_000;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      'work-orders': { type: 'string', default: '1000' },
      lines: { type: 'string', default: '3' },
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
  if (!Number.isInteger(workOrders) || workOrders < 10 || !Number.isInteger(lines) || lines < 1) {
    console.error(`--work-orders (at least 10) and --lines must be positive integers\n${USAGE}`);
    process.exit(2);
  }
  return { workOrders, lines, out: values.out };
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

async function main(): Promise<void> {
  const options = parseOptions();
  const runId = randomUUID().slice(0, 6).toUpperCase();
  const log = (message: string) =>
    console.error(`[bench:reconcile ${new Date().toISOString().slice(11, 19)}] ${message}`);
  const loadBefore = loadavg();
  const dataDir = resolve(ROOT, '.data', 'bench');
  mkdirSync(dataDir, { recursive: true });

  let server: TestWorkflowEnvironment | undefined;
  let sandboxes: RunningSandboxes | undefined;
  try {
    const metricsPort = 20_000 + Math.floor(Math.random() * 20_000);
    server = await startDevServer({ metricsPort });
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    sandboxes = await startSandboxes({ seed: true });
    const sandbox = new SandboxClient(sandboxes);
    const client = server.client;
    const { urls, app } = sandboxes;
    const env = {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: `bench-reconcile-${runId}`,
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

    // Only the benchmark's documents: the demo's work orders go, as a Field Service user would delete them.
    const demo = await sandbox.dataverseGet<{ value: { msdyn_workorderid: string }[] }>(
      'msdyn_workorders?$select=msdyn_workorderid',
    );
    for (const { msdyn_workorderid } of demo.value)
      await sandbox.dataverseWrite('DELETE', `msdyn_workorders(${msdyn_workorderid})`);

    // The template: one work order the product takes the whole way, to the invoice recorded in Field Service.
    const template = `R${runId}-T`;
    log(`template work order ${template} (${options.lines} lines) through the product worker`);
    await sandbox.createCompletedWorkOrder(template, options.lines);
    const worker = await startChildWorker('worker/main.ts', env, 'worker', 120_000, false);
    try {
      await startWorkOrder(client, config, template);
      const failures = await driveToCompletion(client, [workOrderWorkflowId(template)], {
        taskQueue: config.temporal.taskQueue,
        onAwaitingInvoice: async (workflowId) => {
          const invoiceNumber = await sandbox.postInvoice(company, template);
          await client.workflow
            .getHandle(workflowId)
            .signal(invoicePostedSignal, { invoiceNumber, legalEntity: company });
        },
        deadline: Date.now() + 180_000,
      });
      if (failures.length > 0) throw new Error(`template failed: ${JSON.stringify(failures)}`);
    } finally {
      await worker.stop();
    }

    const seedStart = Date.now();
    log(`copying it ${options.workOrders} times`);
    const copies = await copyInvoicedWorkOrder(
      sandbox,
      company,
      template,
      options.workOrders,
      new Date(Date.now() - COPIES_AGE_MS),
    );
    const expected = await seedDrifts(sandbox, copies, `R${runId}-ORPHAN`);
    const seedSeconds = (Date.now() - seedStart) / 1000;
    log(`seeded in ${seedSeconds.toFixed(1)} s; reconciling (fsfo reconcile --json, child process)`);

    // Reconcile as the CLI runs it, in a child process of its own so its memory is its own.
    await sandbox.resetStats();
    const temporalBefore = await frontendRequests(metricsUrl);
    const sandboxCpuBefore = process.cpuUsage();
    const serverPid = childPid('temporal');
    const serverCpuBefore = serverPid === undefined ? undefined : cpuSecondsOf(serverPid);
    const memoryOut = join(mkdtempSync(join(tmpdir(), 'fsfo-bench-reconcile-')), 'memory.json');
    const started = Date.now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(__dirname, 'reconcile-child.ts'), 'reconcile', '--json'],
      {
        cwd: ROOT,
        env: { ...process.env, ...env, BENCH_MEMORY_OUT: memoryOut },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const [exitCode] = (await once(child, 'exit')) as [number | null];
    const wallSeconds = (Date.now() - started) / 1000;
    const sandboxCpu = process.cpuUsage(sandboxCpuBefore);
    const serverCpuAfter = serverPid === undefined ? undefined : cpuSecondsOf(serverPid);
    if (exitCode !== 1) throw new Error(`fsfo reconcile exited ${exitCode} (drift expected: 1):\n${stderr}`);
    const report = reconcileOutputSchema.parse(JSON.parse(stdout));
    const memory = JSON.parse(readFileSync(memoryOut, 'utf8')) as {
      loaded: { heapUsed: number; rss: number };
      peakHeapUsed: number;
      peakHeapAfterMajorGc: number;
      majorGcs: number;
      heapAfterEachMajorGcMb: number[];
      samples: number;
      peakRss: number;
      cpuSeconds: number;
    };
    const stats = await sandbox.stats();
    const temporal = requestsBetween(temporalBefore, await frontendRequests(metricsUrl));

    const found = report.drifts.map((drift) => `${drift.class} ${drift.key}`).sort();
    const wanted = expected.map((drift) => `${drift.class} ${drift.key}`).sort();
    const reportedRight = JSON.stringify(found) === JSON.stringify(wanted);
    const reconcileSeconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
    const result = {
      runId,
      at: new Date().toISOString(),
      parameters: { workOrders: options.workOrders, lines: options.lines },
      machine: { cpus: cpus().length, loadAverage: { before: loadBefore, after: loadavg() } },
      seedSeconds,
      reconcile: {
        wallSeconds,
        reconcileSeconds,
        checked: report.checked,
        inFlight: report.inFlight,
        documentsPerSecond: report.checked / reconcileSeconds,
        counts: Object.fromEntries(Object.entries(report.counts).filter(([, count]) => count > 0)),
        drifts: found,
        expectedDrifts: wanted,
        reportedRight,
      },
      requests: {
        dataverse: stats.dataverse.total,
        finance: stats.finance.total,
        token: stats.token.total,
        temporal,
        dataverseByEntitySet: stats.dataverse.byEntitySet,
        financeByEntitySet: stats.finance.byEntitySet,
      },
      memory,
      cpuSeconds: {
        reconcile: memory.cpuSeconds,
        sandboxesAndBench: (sandboxCpu.user + sandboxCpu.system) / 1e6,
        temporalServer:
          serverCpuBefore === undefined || serverCpuAfter === undefined
            ? undefined
            : serverCpuAfter - serverCpuBefore,
      },
    };
    const out = options.out
      ? resolve(options.out)
      : resolve(dataDir, `reconcile-${result.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    const temporalTotal = Object.values(temporal).reduce((a, b) => a + b, 0);
    console.log(
      [
        `## Reconcile: ${options.workOrders} invoiced work orders × ${options.lines} lines (+ the template, 4 seeded drifts)`,
        '',
        `| documents checked | in flight | reconcile time | wall time (process) | documents/s | requests Dataverse / F&O / Temporal | peak RSS | peak heap used | peak heap after major GC | heap when loaded |`,
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        `| ${report.checked} | ${report.inFlight} | ${reconcileSeconds.toFixed(1)} s | ${wallSeconds.toFixed(1)} s | ${Math.round(result.reconcile.documentsPerSecond)} | ${stats.dataverse.total} / ${stats.finance.total} / ${temporalTotal} | ${mb(memory.peakRss)} MB | ${mb(memory.peakHeapUsed)} MB | ${mb(memory.peakHeapAfterMajorGc)} MB (${memory.majorGcs} major GCs) | ${mb(memory.loaded.heapUsed)} MB |`,
        '',
        `Drifts: ${found.join('; ')} — ${reportedRight ? 'exactly the seeded ones' : `EXPECTED ${wanted.join('; ')}`}.`,
        `CPU: reconcile ${memory.cpuSeconds.toFixed(1)} s, sandboxes ${result.cpuSeconds.sandboxesAndBench.toFixed(1)} s, Temporal ${result.cpuSeconds.temporalServer?.toFixed(1) ?? '?'} s. Seeding took ${seedSeconds.toFixed(1)} s. Load ${loadBefore.map((l) => l.toFixed(1)).join(' ')} → ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}.`,
        '',
        `JSON: ${out}`,
      ].join('\n'),
    );
    if (!reportedRight) process.exitCode = 1;
  } finally {
    await sandboxes?.close();
    await server?.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
