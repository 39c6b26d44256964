import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startWorkOrder } from '../../client/starters/work-order';
import { loadConfig } from '../../config/config';
import { startSandboxes, type RunningSandboxes } from '../../sandboxes';
import { startDevServer } from '../dev-server';
import { inParallel } from '../bench/drive';
import { startChildWorker, type ChildWorker } from '../bench/processes';
import { SandboxClient } from '../bench/sandbox-client';
import { documentChecks } from './checks';
import { drive } from './driver';
import { reconcileCheck } from './reconcile-check';
import { planWorkOrders } from './work-order-plan';

const USAGE =
  'npm run chaos -- --work-orders N [--lines K] [--chaos-seconds S] [--no-server-restart] [--timeout-minutes M]';

/** Fault profiles applied in turn to Dataverse and F&O (`PUT /_sandbox/faults`). */
const FAULT_PROFILES: { name: string; faults: Record<string, number> }[] = [
  { name: 'throttling (429, Retry-After 1 s)', faults: { throttleRate: 0.3, throttleRetryAfterSeconds: 1 } },
  { name: '5xx (503)', faults: { serverErrorRate: 0.3 } },
  { name: 'latency 300 ms', faults: { latencyMs: 300 } },
  { name: 'commit then drop the connection', faults: { dropConnectionRate: 0.2 } },
  {
    name: 'mixed',
    faults: {
      throttleRate: 0.1,
      throttleRetryAfterSeconds: 1,
      serverErrorRate: 0.1,
      dropConnectionRate: 0.1,
      latencyMs: 100,
    },
  },
];

function parseOptions() {
  const { values } = parseArgs({
    options: {
      'work-orders': { type: 'string', default: '20' },
      lines: { type: 'string', default: '3' },
      'chaos-seconds': { type: 'string', default: '60' },
      'no-server-restart': { type: 'boolean', default: false },
      'timeout-minutes': { type: 'string', default: '10' },
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
  const chaosSeconds = Number(values['chaos-seconds']);
  const timeoutMinutes = Number(values['timeout-minutes']);
  if (
    ![workOrders, lines].every((n) => Number.isInteger(n) && n >= 1) ||
    !(chaosSeconds >= 0) ||
    !(timeoutMinutes > 0)
  ) {
    console.error(USAGE);
    process.exit(2);
  }
  return {
    workOrders,
    lines,
    chaosSeconds,
    restartServer: !values['no-server-restart'],
    timeoutMs: timeoutMinutes * 60_000,
    out: values.out,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function main(): Promise<void> {
  const options = parseOptions();
  const loadBefore = loadavg();
  const runId = randomUUID().slice(0, 6).toUpperCase();
  const dataDir = resolve(__dirname, '..', '..', '.data', 'chaos');
  mkdirSync(dataDir, { recursive: true });
  const dbFilename = resolve(dataDir, `temporal-${runId}.sqlite`);
  const log = (message: string) =>
    console.error(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}`);
  const port = await freePort();
  const events = { workerKills: 0, workerStarts: 0, serverRestarts: 0, faultWindows: [] as string[] };

  let server: TestWorkflowEnvironment | undefined;
  let sandboxes: RunningSandboxes | undefined;
  let worker: ChildWorker | undefined;
  let connection: Connection | undefined;
  try {
    log(`Temporal dev server on port ${port}, SQLite file with WAL pragmas ${dbFilename}`);
    server = await startDevServer({ port, dbFilename });
    sandboxes = await startSandboxes({ seed: true });
    const sandbox = new SandboxClient(sandboxes);
    const address = `127.0.0.1:${port}`;
    connection = await Connection.connect({ address });
    const client = new Client({ connection });
    const numbers = Array.from(
      { length: options.workOrders },
      (_, i) => `C${runId}-${String(i + 1).padStart(4, '0')}`,
    );
    const { plans, approvalPolicy } = planWorkOrders(numbers, options.lines);
    const { urls, app } = sandboxes;
    const env = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: `chaos-${runId}`,
      FS_URL: urls.dataverse,
      FNO_URL: urls.finance,
      AZURE_TENANT_ID: app.tenantId,
      AZURE_CLIENT_ID: app.clientId,
      AZURE_CLIENT_SECRET: app.clientSecret,
      AZURE_TOKEN_URL: `${urls.token}/${app.tenantId}/oauth2/v2.0/token`,
      APPROVAL_POLICY: approvalPolicy,
    };
    const config = loadConfig(env);
    // Reconcile covers the run's changes in Field Service from here (its change times are whole seconds).
    const runStart = new Date(Math.floor(Date.now() / 1000) * 1000);
    const approvals = plans.filter((plan) => plan.approval).length;
    log(
      `creating ${numbers.length} work orders with ${options.lines} lines; ${approvals} of them ` +
        `${plans.find((plan) => plan.approval)?.scale ?? 0}× larger (APPROVAL_POLICY=${approvalPolicy})`,
    );
    await inParallel(plans, 4, (plan) =>
      sandbox.createCompletedWorkOrder(plan.number, plan.lines, plan.scale),
    );

    const startWorker = async () => {
      for (;;) {
        try {
          worker = await startChildWorker('worker/main.ts', env, 'worker', 60_000, false);
          events.workerStarts++;
          return;
        } catch (err) {
          log(`worker did not start (${String(err).split('\n')[0]}); again in 1 s`);
          await delay(1000);
        }
      }
    };
    await startWorker();
    const timeline = { started: new Date().toISOString(), chaosEnded: '', lastClosed: '' };
    log('starting the work orders');
    await inParallel(numbers, 8, async (wo) => {
      await startWorkOrder(client, config, wo);
    });

    // Chaos: SIGKILL the worker every 2–6 s and restart it, change the sandbox faults every 4 s,
    // restart the Temporal dev server once half-way through.
    const chaosEnd = Date.now() + options.chaosSeconds * 1000;
    let finished = false;
    const killer = (async () => {
      while (!finished) {
        if (Date.now() < chaosEnd) {
          await delay(randomInt(2000, 6000));
          if (Date.now() < chaosEnd) {
            await worker?.kill();
            events.workerKills++;
            await startWorker();
          }
        } else {
          // After the chaos: a worker that died on its own (e.g. while the server restarted) is restarted.
          const exited = worker?.process.exitCode !== null || worker?.process.signalCode !== null;
          if (exited) {
            log('worker exited on its own; restarting it');
            await startWorker();
          }
          await delay(1000);
        }
      }
    })();
    const faulter = (async () => {
      let index = 0;
      while (Date.now() < chaosEnd) {
        const profile = FAULT_PROFILES[index++ % FAULT_PROFILES.length]!;
        events.faultWindows.push(profile.name);
        await sandbox.setFaults('dataverse', profile.faults);
        await sandbox.setFaults('finance', profile.faults);
        await delay(4000);
      }
      await sandbox.setFaults('dataverse', {});
      await sandbox.setFaults('finance', {});
      timeline.chaosEnded = new Date().toISOString();
    })();
    const restarter = (async () => {
      if (!options.restartServer || options.chaosSeconds === 0) return;
      await delay((options.chaosSeconds * 1000) / 2);
      log('restarting the Temporal dev server (same SQLite file)');
      await server?.teardown();
      server = undefined;
      server = await startDevServer({ port, dbFilename });
      events.serverRestarts++;
    })();

    // Meanwhile: change the approval work orders while they await approval and approve them; post each
    // invoice once in F&O when its workflow awaits it, and signal it.
    const driven = await drive(
      client,
      config,
      sandbox,
      new Map(plans.map((plan) => [plan.number, plan])),
      Date.now() + options.timeoutMs,
      log,
    );
    timeline.lastClosed = new Date().toISOString();
    finished = true;
    await Promise.all([killer, faulter, restarter]);
    log(`driver done: ${driven.done.size}/${numbers.length} workflows closed`);

    // Checks on the sandboxes' state, with every fault off.
    await sandbox.setFaults('dataverse', {});
    await sandbox.setFaults('finance', {});
    const { checks, approvedByDriver } = await documentChecks(client, sandbox, plans);
    log('reconciling the run’s documents');
    const reconciled = await reconcileCheck(client, config, runStart, numbers.length);
    checks.push(reconciled.check);
    const stats = await sandbox.stats();
    const result = {
      runId,
      at: new Date().toISOString(),
      parameters: { ...options, timeoutMs: undefined },
      approvalPolicy,
      events,
      driver: {
        approvalWorkOrders: approvals,
        editedWhileAwaitingApproval: driven.edited.size,
        approvedByDriver,
      },
      timeline: { ...timeline, checked: new Date().toISOString() },
      loadAverage: { before: loadBefore, after: loadavg() },
      reconcile: reconciled.figures ?? null,
      faultAnswers: {
        dataverse: stats.dataverse.byStatus,
        finance: stats.finance.byStatus,
      },
      checks: checks.map((check) => ({
        name: check.name,
        passed: check.failures.length === 0,
        failures: check.failures,
      })),
    };
    const out = options.out
      ? resolve(options.out)
      : resolve(dataDir, `chaos-${result.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);

    const table = [
      `## Chaos: ${options.workOrders} work orders × ${options.lines} lines, ${options.chaosSeconds} s of chaos`,
      '',
      `Worker SIGKILLed ${events.workerKills} times (started ${events.workerStarts} times); Temporal dev server restarted ${events.serverRestarts} time(s); ${events.faultWindows.length} fault windows of 4 s (${[...new Set(events.faultWindows)].join('; ')}).`,
      `${approvals} work orders above the approval bound (APPROVAL_POLICY=${approvalPolicy}): changed in Field Service while awaiting approval ${driven.edited.size}, approved by the driver ${approvedByDriver}.`,
      `Reconcile: ${reconciled.figures ? `${reconciled.figures.checked} documents checked, ${reconciled.figures.inFlight} in flight, drifts ${JSON.stringify(reconciled.figures.counts)}, ${reconciled.figures.seconds.toFixed(1)} s` : 'stopped'}.`,
      `Answers the sandboxes gave — Dataverse: ${JSON.stringify(stats.dataverse.byStatus)}; F&O: ${JSON.stringify(stats.finance.byStatus)}.`,
      '',
      '| check | result | failures |',
      '| --- | --- | --- |',
      ...checks.map(
        (check) =>
          `| ${check.name} | ${check.failures.length === 0 ? 'PASS' : 'FAIL'} | ${check.failures.length === 0 ? '' : `${check.failures.length}: ${check.failures.slice(0, 3).join('; ')}`} |`,
      ),
      '',
      `JSON: ${out}`,
    ];
    console.log(table.join('\n'));
    if (checks.some((check) => check.failures.length > 0)) process.exitCode = 1;
  } finally {
    await worker?.stop();
    await connection?.close();
    await sandboxes?.close();
    await server?.teardown();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbFilename}${suffix}`, { force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
