import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..', '..');

interface ChaosReport {
  events: { workerKills: number; serverRestarts: number };
  driver: Record<string, number>;
  checks: { name: string; passed: boolean; failures: string[] }[];
}

// The short run of `npm run chaos` (docs/RELIABILITY.md): its own dev server on SQLite, sandboxes and
// worker; the worker SIGKILLed, the server restarted, faults injected; two of the four work orders changed
// in Field Service while awaiting approval; then the sandboxes' state checked and reconcile run.
test('a short chaos run loses and duplicates nothing, and reconcile finds no drift', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'fsfo-chaos-')), 'chaos.json');
  const args = ['--work-orders', '4', '--lines', '3', '--chaos-seconds', '20', '--timeout-minutes', '5'];
  await promisify(execFile)(
    process.execPath,
    [require.resolve('tsx/cli'), 'scripts/chaos/chaos.ts', ...args, '--out', out],
    { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME }, maxBuffer: 16 * 2 ** 20 },
  ).catch((err: { stdout?: string; stderr?: string }) => {
    throw new Error(`chaos run failed:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  });
  const report = JSON.parse(readFileSync(out, 'utf8')) as ChaosReport;
  expect(report.checks.filter((check) => !check.passed)).toEqual([]);
  expect(report.checks.map((check) => check.name)).toContain('reconcile reports zero drift');
  expect(report.checks).toHaveLength(10);
  // The run did what it says: kills, a server restart, changes while awaiting approval, approvals (as the
  // workflows' results record them).
  expect(report.driver).toEqual({
    approvalWorkOrders: 2,
    editedWhileAwaitingApproval: 2,
    approvedByDriver: 2,
  });
  expect(report.events.workerKills).toBeGreaterThan(0);
  expect(report.events.serverRestarts).toBe(1);
}, 420_000);
