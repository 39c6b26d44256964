import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { registerWorkOrderCommands } from '../../client/commands/work-order';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import type { Config } from '../../config/config';
import { WorkOrderSystemStatus } from '../../connectors/entities/dataverse';
import { invoicePostedSignal } from '../../workflows/work-order/messages';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { signalsOf, startSandboxStack, type SandboxStack } from '../watchers/support/stack';
import { FakeSystems } from '../workflows/work-order-fakes';
import { waitForStage } from '../support/work-order-stage';
import { runCli } from '../support/cli';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: SandboxStack;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
  stack = await startSandboxStack('cli');
});
afterAll(async () => {
  await stack?.close();
  await env?.teardown();
});

/** Runs `fsfo work-order ...` in process. */
const fsfo = (config: Config, ...args: string[]) =>
  runCli(registerWorkOrderCommands, config, 'work-order', args);

/** A worker running the work order workflow against fake Field Service and F&O systems. */
async function withWorker(systems: FakeSystems, run: () => Promise<void>): Promise<void> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace,
    taskQueue: stack.config.temporal.taskQueue,
    workflowBundle,
    activities: systems.activities(),
  });
  await worker.runUntil(run());
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 150 && !done(value); attempt++) {
    await delay(200);
    value = await read();
  }
  return value;
}

const newNumber = () => `WO-${randomUUID().slice(0, 8)}`;

test('start, status, list by stage, a refused retry and an approval, as an operator sees them', async () => {
  const number = newNumber();
  const config = stack.config;
  await withWorker(new FakeSystems(), async () => {
    expect((await fsfo(config, 'start', number)).stdout).toBe(
      `Work order ${number}: workflow work-order-${number} started or signalled.`,
    );
    await waitForStage(env.client.workflow.getHandle(workOrderWorkflowId(number)), 'AwaitingApproval');

    const status = await fsfo(config, 'status', number);
    expect(status.stdout).toContain(`Work order ${number} (usmf)`);
    expect(status.stdout).toMatch(/Stage: +AwaitingApproval/);
    expect(status.stdout).toMatch(new RegExp(`Sales order: +${number} for US-001, 500.00 USD, 3 lines`));

    const listed = await eventually(
      () => fsfo(config, 'list', '--stage', 'AwaitingApproval'),
      (result) => result.stdout.includes(number),
    );
    expect(listed.stdout).toMatch(new RegExp(`^${number} +sales order ${number} +customer US-001`, 'm'));
    // Without --stage (or with --stage all): every stage, each line naming its work order's.
    for (const args of [['list'], ['list', '--stage', 'all']]) {
      const everything = await eventually(
        () => fsfo(config, ...args),
        (result) => result.stdout.includes(number),
      );
      expect(everything.stdout).toMatch(
        new RegExp(`^${number} +sales order ${number} +customer US-001 +AwaitingApproval +since `, 'm'),
      );
      expect(everything.stdout).toMatch(/^\d+ work orders? in all stages$/m);
    }

    const refused = await fsfo(config, 'retry', number, '--by', 'dana');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      `Refused: Cannot retry: work order ${number} is AwaitingApproval, not NeedsAttention`,
    );

    const approved = await fsfo(
      config,
      'approve',
      number,
      '--by',
      'dana@contoso.com',
      '--comment',
      'checked',
    );
    expect(approved.exitCode).toBeUndefined();
    expect(approved.stdout).toMatch(/^Approved invoicing of work order WO-\w+ by dana@contoso.com: /);
    await waitForStage(env.client.workflow.getHandle(workOrderWorkflowId(number)), 'AwaitingInvoice');
    expect((await fsfo(config, 'status', number)).stdout).toMatch(
      /Approved: +by dana@contoso.com via cli at .+ \("checked"\)/,
    );

    const late = await fsfo(config, 'reject', number, '--by', 'sam', '--reason', 'too late');
    expect(late.exitCode).toBe(1);
    expect(late.stderr).toBe(
      `Refused: Cannot reject invoicing: work order ${number} is AwaitingInvoice, not AwaitingApproval`,
    );
    await env.client.workflow.getHandle(workOrderWorkflowId(number)).terminate('test done');
  });
});

test('retry after the data is fixed, then reject: the work order goes back to the technician', async () => {
  const number = newNumber();
  const systems = new FakeSystems();
  systems.dataProblem = 'customer US-001 is missing in F&O';
  await withWorker(systems, async () => {
    await fsfo(stack.config, 'start', number);
    await waitForStage(env.client.workflow.getHandle(workOrderWorkflowId(number)), 'NeedsAttention');
    expect((await fsfo(stack.config, 'status', number)).stdout).toMatch(
      /Attention: +customer US-001 is missing in F&O \(in SyncingMasterData since .+\)/,
    );

    systems.dataProblem = undefined;
    expect((await fsfo(stack.config, 'retry', number, '--by', 'ops')).stdout).toBe(
      `Retrying work order ${number}: SyncingMasterData runs again.`,
    );
    await waitForStage(env.client.workflow.getHandle(workOrderWorkflowId(number)), 'AwaitingApproval');

    const rejected = await fsfo(stack.config, 'reject', number, '--by', 'dana', '--reason', 'labour missing');
    expect(rejected.stdout).toBe(
      `Rejected invoicing of work order ${number}: it goes back to the technician with the reason "labour missing".`,
    );
    await waitForStage(env.client.workflow.getHandle(workOrderWorkflowId(number)), 'Rejected');
    expect(systems.returnedToTechnician).toEqual(['labour missing']);
    expect((await fsfo(stack.config, 'status', number)).stdout).toMatch(
      /Rejected: +by dana via cli at .+: labour missing/,
    );
    await env.client.workflow.getHandle(workOrderWorkflowId(number)).terminate('test done');
  });
});

test('status and approve of a work order without a workflow say so and exit 1', async () => {
  const number = newNumber();
  const status = await fsfo(stack.config, 'status', number);
  expect(status).toEqual({
    stdout: '',
    stderr: `No workflow for work order ${number} (start it with "fsfo work-order start").`,
    exitCode: 1,
  });
  expect((await fsfo(stack.config, 'approve', number, '--by', 'dana')).exitCode).toBe(1);
});

test('approve, reject and retry of an invoiced work order say it is invoiced, with the invoice', async () => {
  const number = newNumber();
  const systems = new FakeSystems();
  const config: Config = { ...stack.config, approvalPolicy: 'never' };
  const handle = env.client.workflow.getHandle(workOrderWorkflowId(number));
  await withWorker(systems, async () => {
    await startWorkOrder(env.client, config, number);
    await waitForStage(handle, 'AwaitingInvoice');
    const invoice = systems.postInvoice(number);
    await handle.signal(invoicePostedSignal, { invoiceNumber: invoice.invoiceNumber });
    const invoiced = await handle.result();
    expect(invoiced.stage).toBe('Invoiced');

    const { invoiceNumber, invoiceDate } = invoiced.invoice!;
    const said =
      `Work order ${number} is already invoiced (invoice ${invoiceNumber} of ${invoiceDate}, 500.00 USD): ` +
      'its workflow has completed, there is nothing to decide ("fsfo work-order status" shows it).';
    for (const args of [
      ['approve', number, '--by', 'dana'],
      ['reject', number, '--by', 'dana', '--reason', 'late'],
      ['retry', number],
    ]) {
      expect(await fsfo(config, ...args)).toEqual({ stdout: '', stderr: said, exitCode: 1 });
    }
  });
});

test('start refuses a number no workflow can carry and starts nothing', async () => {
  const result = await fsfo(stack.config, 'start', 'WO-\u0007');
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toMatch(/^Invalid work order number "WO-\\u0007": .*no control characters/s);
});

test('list refuses a stage that does not exist', async () => {
  await expect(fsfo(stack.config, 'list', '--stage', 'Lost')).rejects.toThrow(
    /expected one of SyncingMasterData/,
  );
});

test('backfill starts every selected work order changed since the date and counts the completed ones', async () => {
  const since = new Date(Date.now() - 1000);
  const [completedEarlier, toStart, unscheduled] = [newNumber(), newNumber(), newNumber()];
  const systems = new FakeSystems();
  await withWorker(systems, async () => {
    const config: Config = { ...stack.config, approvalPolicy: 'never' };
    await startWorkOrder(env.client, config, completedEarlier);
    await waitForStage(
      env.client.workflow.getHandle(workOrderWorkflowId(completedEarlier)),
      'AwaitingInvoice',
    );
    const invoice = systems.postInvoice(completedEarlier);
    const handle = env.client.workflow.getHandle(workOrderWorkflowId(completedEarlier));
    await handle.signal(invoicePostedSignal, { invoiceNumber: invoice.invoiceNumber });
    expect((await handle.result()).stage).toBe('Invoiced');
  });

  await stack.createWorkOrder(completedEarlier, WorkOrderSystemStatus.ClosedPosted);
  await stack.createWorkOrder(toStart, WorkOrderSystemStatus.OpenCompleted);
  await stack.createWorkOrder(unscheduled, WorkOrderSystemStatus.OpenUnscheduled);
  // No worker polls this queue: the started workflow stays as the backfill left it.
  const config: Config = {
    ...stack.config,
    temporal: { ...stack.config.temporal, taskQueue: `unpolled-${toStart}` },
  };
  // In a terminal: a bar that fills as the work orders are started, then the count.
  const terminal: string[] = [];
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    terminal.push(String(chunk));
    return true;
  });
  const wasTTY = process.stderr.isTTY;
  process.stderr.isTTY = true;
  let result: Awaited<ReturnType<typeof fsfo>>;
  try {
    result = await fsfo(config, 'backfill', '--since', since.toISOString());
  } finally {
    process.stderr.isTTY = wasTTY;
    write.mockRestore();
  }
  expect(result.exitCode).toBeUndefined();
  expect(result.stdout).toBe(
    `Backfill since ${since.toISOString()}: 1 started or signalled, 1 already completed, 0 failed`,
  );
  const bars = terminal.join('').split('\r\x1b[K').filter(Boolean);
  expect(bars[0]).toBe(
    'Backfilling [..............................] 0/2  0 started or signalled, 0 already completed, 0 failed',
  );
  expect(bars.at(-1)).toBe(
    'Backfilling [##############################] 2/2  1 started or signalled, 1 already completed, 0 failed\n',
  );
  const started = env.client.workflow.getHandle(workOrderWorkflowId(toStart));
  expect(await signalsOf(started)).toEqual(['workOrderChanged']);
  await expect(env.client.workflow.getHandle(workOrderWorkflowId(unscheduled)).describe()).rejects.toThrow(
    'not found',
  );
  await started.terminate('test done');
});
