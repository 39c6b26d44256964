import { execFile, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { WEB_VIEWS, webViewUrl } from '../../client/temporal-web';
import { LOCAL_STACK } from '../../config/config';
import { findOrInstallTemporal } from '../../scripts/temporal-cli';
import { freePort } from '../support/ports';

const ROOT = resolve(__dirname, '..', '..');

function processesInGroup(pgid: number): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '');
  } catch {
    return []; // ps exits 1 when the group is empty
  }
}

test('npm start brings up Temporal Web and a polling worker, runs the demo invoicing, and Ctrl-C leaves no process behind', async () => {
  const [port, uiPort, webhookPort, metricsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const [tokenPort, dataversePort, financePort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'fsfo-start-'));
  const taskQueue = `start-test-${port}`;
  // Its own process group, as a terminal gives `npm start`, so Ctrl-C can be sent to the whole group.
  const start = spawn(process.execPath, [require.resolve('tsx/cli'), 'scripts/start.ts'], {
    cwd: ROOT,
    detached: true,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      TEMPORAL_UI_PORT: String(uiPort),
      TEMPORAL_TASK_QUEUE: taskQueue,
      WEBHOOK_PORT: String(webhookPort),
      // The sandboxes on ports of their own, so a developer's running `npm start` does not collide.
      FS_URL: `http://127.0.0.1:${dataversePort}`,
      FNO_URL: `http://127.0.0.1:${financePort}`,
      AZURE_TOKEN_URL: `http://127.0.0.1:${tokenPort}/${LOCAL_STACK.tenantId}/oauth2/v2.0/token`,
      FSFO_DATA_DIR: dataDir,
      METRICS_BIND_ADDRESS: `127.0.0.1:${metricsPort}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  start.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  start.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const pgid = start.pid!;
  try {
    for (let waited = 0; !output.includes('The stack is up'); waited += 250) {
      if (waited > 90_000 || start.exitCode !== null)
        throw new Error(`npm start did not come up:\n${output}`);
      await delay(250);
    }
    expect(output).toContain(`Temporal Web      http://localhost:${uiPort}`);
    // The views an operator works from, as links: what needs a person, without the watchers' runs.
    for (const view of Object.values(WEB_VIEWS)) {
      expect(output).toContain(webViewUrl(`http://localhost:${uiPort}`, 'default', view));
    }

    const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
    expect(ui.status).toBe(200);
    // The worker's Prometheus endpoint, printed with the other addresses: the demo's requests are counted.
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    expect(output).toContain(`Metrics           ${metricsUrl}`);
    expect(await (await fetch(metricsUrl)).text()).toMatch(/^fsfo_d365_requests\{.*service="dataverse"/m);

    const described = execFileSync(
      findOrInstallTemporal('cli')!,
      [
        'task-queue',
        'describe',
        '--task-queue',
        taskQueue,
        '--address',
        `127.0.0.1:${port}`,
        '--output',
        'json',
      ],
      { encoding: 'utf8' },
    );
    const pollers = (JSON.parse(described) as { pollers?: { identity: string }[] }).pollers ?? [];
    expect(pollers.length).toBeGreaterThan(0);
    expect(existsSync(join(dataDir, 'temporal', 'temporal.sqlite'))).toBe(true);

    // The main job, as the console tells a user to run it: approve WO-00003, post its invoice in F&O.
    expect(output).toMatch(/WO-00003\s+AwaitingApproval/);
    const fsfo = (...args: string[]) =>
      promisify(execFile)(process.execPath, [require.resolve('tsx/cli'), 'client/cli.ts', ...args], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
          TEMPORAL_TASK_QUEUE: taskQueue,
        },
      });
    await fsfo('work-order', 'approve', 'WO-00003', '--by', 'start-test');
    let status = '';
    for (let waited = 0; !status.includes('AwaitingInvoice') && waited < 30_000; waited += 500) {
      status = (await fsfo('work-order', 'status', 'WO-00003')).stdout;
      await delay(500);
    }
    const posted = await fetch(
      `http://127.0.0.1:${financePort}/_sandbox/sales-orders/usmf/WO-00003/post-invoice`,
      {
        method: 'POST',
      },
    );
    expect(posted.status).toBe(200);
    for (let waited = 0; !status.includes('Invoiced') && waited < 30_000; waited += 500) {
      status = (await fsfo('work-order', 'status', 'WO-00003')).stdout;
      await delay(500);
    }
    expect(status).toMatch(/Stage:\s+Invoiced/);
    // npm start registered the Dataverse webhook: the workflow's own writes to WO-00003 were delivered to it.
    const deliveries = (await (
      await fetch(`http://127.0.0.1:${dataversePort}/_sandbox/webhook-deliveries`)
    ).json()) as { value: { message: string; delivered: boolean }[] };
    expect(deliveries.value).toContainEqual(expect.objectContaining({ message: 'Update', delivered: true }));
  } finally {
    process.kill(-pgid, 'SIGINT');
    await Promise.race([once(start, 'exit'), delay(30_000)]);
  }
  for (let waited = 0; processesInGroup(pgid).length > 0 && waited < 10_000; waited += 250) await delay(250);
  expect(processesInGroup(pgid)).toEqual([]);
}, 150_000);
