import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { reconcileOutputSchema } from '../../client/reconcile/run';
import { postSalesInvoice } from '../master-data/support';
import { sandboxEnvironment, type Stack } from '../support/stack';
import { resetStats, startReconcileStack, writes } from './support';

// `fsfo reconcile` as an operator runs it: its own process, its exit code, what it prints.
const ROOT = resolve(__dirname, '..', '..');
let stack: Stack;

beforeAll(async () => {
  stack = await startReconcileStack('reconcile-cli');
});
afterAll(() => stack?.close());
beforeEach(() => resetStats(stack));

function environment(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { config, sandboxes } = stack;
  return {
    PATH: process.env.PATH,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    ...sandboxEnvironment(sandboxes),
    ...overrides,
  };
}

async function fsfo(env: NodeJS.ProcessEnv, ...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [require.resolve('tsx/cli'), 'client/cli.ts', ...args],
      { cwd: ROOT, env },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

test('clean: exit 0 and the counts; drift: exit 1 and the report as JSON that parses with its schema', async () => {
  const clean = await fsfo(environment(), 'reconcile');
  expect({ code: clean.code, stderr: clean.stderr }).toEqual({ code: 0, stderr: '' });
  expect(clean.stdout).toContain(
    'Reconciled usmf (all documents): 0 documents checked, 0 in flight.\nNo drift.',
  );

  // An order created by the integration for a work order Field Service no longer has.
  await stack.createInFinance('CDSSalesOrderHeaders', {
    SalesOrderNumber: 'WO-GONE-1',
    OrderingCustomerAccountNumber: 'US-001',
    CurrencyCode: 'USD',
    SalesOrderOriginType: 'WorkOrderIntegration',
  });
  await resetStats(stack);
  const drift = await fsfo(environment(), 'reconcile', '--json', '--fix');
  expect(drift.code).toBe(1);
  const report = reconcileOutputSchema.parse(JSON.parse(drift.stdout));
  expect(report).toMatchObject({
    legalEntity: 'usmf',
    since: null,
    checked: 1,
    counts: { orphan: 1 },
    repairs: [],
  });
  expect(report.drifts).toEqual([
    expect.objectContaining({ class: 'orphan', document: 'F&O sales order', key: 'WO-GONE-1' }),
  ]);
  expect(await writes(stack)).toEqual([]);

  // And an F&O invoice Field Service has not recorded: a drift --fix can repair.
  const invoiceNumber = await postSalesInvoice(stack, { invoiceDate: '2026-03-02' });
  const text = await fsfo(environment(), 'reconcile', '--since', '2026-01-01', '--legal-entity', 'USMF');
  expect(text.code).toBe(1);
  expect(text.stdout).toContain(
    '[orphan] F&O sales order WO-GONE-1: F&O sales order WO-GONE-1 was created by this integration for work order ' +
      'WO-GONE-1, which no longer exists in Field Service.\n' +
      '  Field Service: (none)\n' +
      '  F&O:           {"SalesOrderNumber":"WO-GONE-1","ExternalWorkOrderStatus":"OpenUnscheduled"}\n' +
      '  to do:         Cancel or delete F&O sales order WO-GONE-1 in F&O, or invoice it there if the work was done.',
  );
  expect(text.stdout).toContain(`[not recorded] F&O sales invoice ${invoiceNumber}: F&O posted invoice`);
  expect(text.stdout).toContain('2 drifts: 1 repairable with --fix, 1 need a person.');
});

test('bad input: one clear message, exit 2, nothing written', async () => {
  const cases: [NodeJS.ProcessEnv, string[], string][] = [
    [
      environment(),
      ['--since', 'last tuesday'],
      '--since "last tuesday" is not a date: give one such as 2026-11-01',
    ],
    [environment(), ['--since', '2026-13-45'], '--since "2026-13-45" is not a date'],
    [
      environment(),
      ['--legal-entity', 'zz99'],
      '--legal-entity zz99: F&O has no legal entity "zz99" (it has demf, usmf, usrt)',
    ],
    [
      environment(),
      ['--legal-entity', 'not one'],
      '--legal-entity "not one": a legal entity is a dataAreaId',
    ],
    [
      environment({ FNO_URL: `http://127.0.0.1:${await closedPort()}` }),
      [],
      'Cannot reach F&O at http://127.0.0.1:',
    ],
    [
      environment({ FS_URL: `http://127.0.0.1:${await closedPort()}` }),
      [],
      'Cannot reach Field Service at http://127.0.0.1:',
    ],
    [
      environment({ TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`, STARTUP_WAIT_LIMIT: '1s' }),
      [],
      'did not answer within 1s (connection refused)',
    ],
  ];
  for (const [env, args, message] of cases) {
    const result = await fsfo(env, 'reconcile', '--fix', ...args);
    expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 2, stdout: '' });
    // One line, after the one that says the wait for Temporal started.
    const lines = result.stderr
      .trim()
      .split('\n')
      .filter((line) => !line.startsWith('Waiting for Temporal'));
    expect(lines).toEqual([expect.stringContaining(message)]);
  }
  expect(await writes(stack)).toEqual([]);
});
