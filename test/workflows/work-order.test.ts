import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Worker as TemporalWorker } from '@temporalio/worker';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { findOrInstallTemporal } from '../../scripts/temporal-cli';
import { workOrderInvoicing } from '../../workflows';
import type { ApprovalPolicy } from '../../config/approval-policy';
import {
  approveInvoicingSignal,
  approveInvoicingUpdate,
  invoicePostedSignal,
  rejectInvoicingUpdate,
  retryUpdate,
  statusQuery,
  workOrderChangedSignal,
} from '../../workflows/work-order/messages';
import { bundleWorkflows, connectToTestServer, uniqueTaskQueue } from '../support/temporal';
import { FakeSystems } from './work-order-fakes';
import { waitForStage } from '../support/work-order-stage';
import { untilIdle } from '../support/workflow-idle';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
});
afterAll(() => env?.teardown());

type Handle = WorkflowHandle<typeof workOrderInvoicing>;

async function withWorker(
  systems: FakeSystems,
  approvalPolicy: ApprovalPolicy,
  run: (handle: Handle, worker: Worker) => Promise<void>,
): Promise<void> {
  const taskQueue = uniqueTaskQueue('work-order');
  const worker = await TemporalWorker.create({
    connection: env.nativeConnection,
    namespace: env.namespace,
    taskQueue,
    workflowBundle,
    activities: systems.activities(),
  });
  const workOrderNumber = `WO-${taskQueue.slice(-8)}`;
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(workOrderInvoicing, {
      workflowId: `work-order-${workOrderNumber}`,
      taskQueue,
      args: [{ workOrderNumber, legalEntity: 'usmf', approvalPolicy }],
    });
    await run(handle, worker);
  });
}

/** A search attribute of the one workflow the list query finds, once the list shows it. */
async function listedAttribute(query: string, name: string): Promise<unknown> {
  for (let attempt = 0; attempt < 50; attempt++) {
    for await (const workflow of env.client.workflow.list({ query })) return workflow.searchAttributes[name];
    await delay(200);
  }
  throw new Error(`No workflow listed for ${query}`);
}

/** The current details Temporal Web shows on the workflow's page. */
async function currentDetails(handle: Handle): Promise<string | undefined> {
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return metadata.currentDetails;
}

test('approved by update, invoiced in F&O, recorded in Field Service; operators find it by stage', async () => {
  const systems = new FakeSystems();
  await withWorker(systems, 'always', async (handle) => {
    await waitForStage(handle, 'AwaitingApproval');
    const query = `WorkflowId = "${handle.workflowId}" AND IntegrationStage = "AwaitingApproval"`;
    let listed = 0;
    for (let attempt = 0; attempt < 50 && listed === 0; attempt++) {
      listed = (await env.client.workflow.count(query)).count;
      if (listed === 0) await delay(200);
    }
    expect(listed).toBe(1);

    // The answer is the state after the decision: the approved work order is being closed.
    const answer = await handle.executeUpdate(approveInvoicingUpdate, {
      args: [{ approvedBy: 'dana@contoso.com', comment: 'ok' }],
    });
    expect(answer).toMatchObject({
      stage: 'CreatingSalesOrder',
      waitingFor: 'the work order to be closed in Field Service',
      approval: { approvedBy: 'dana@contoso.com' },
    });
    await waitForStage(handle, 'AwaitingInvoice');
    const invoice = systems.postInvoice((await handle.query(statusQuery)).salesOrder!.salesOrderNumber);
    await handle.signal(invoicePostedSignal, { invoiceNumber: invoice.invoiceNumber });

    const result = await handle.result();
    expect(result.stage).toBe('Invoiced');
    expect(result.approval).toMatchObject({ approvedBy: 'dana@contoso.com', comment: 'ok' });
    expect(result.invoice).toMatchObject({ invoiceNumber: 'INV-1', fieldServiceInvoiceId: 'fs-INV-1' });
    const order = systems.salesOrders.get(result.workOrderNumber)!;
    expect(order.status).toBe('ClosedPosted'); // re-synced after approval with used values only
    expect(systems.invoicedWorkOrders.has(result.workOrderNumber)).toBe(true);
  });
});

test('an update in the wrong stage or without an approver is refused and changes nothing', async () => {
  const systems = new FakeSystems();
  await withWorker(systems, 'always', async (handle) => {
    await waitForStage(handle, 'AwaitingApproval');
    await expect(handle.executeUpdate(retryUpdate, { args: [{}] })).rejects.toThrow(
      WorkflowUpdateFailedError,
    );
    await expect(
      handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: '  ' }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    const state = await handle.query(statusQuery);
    expect(state.stage).toBe('AwaitingApproval');
    expect(state.approval).toBeUndefined();
    const history = await handle.fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
    await handle.terminate('test done');
  });
});

test('approval by signal works for tools that can only signal', async () => {
  const systems = new FakeSystems();
  await withWorker(systems, 'always', async (handle) => {
    await waitForStage(handle, 'AwaitingApproval');
    await handle.signal(approveInvoicingSignal, { approvedBy: 'ops-bot' });
    await waitForStage(handle, 'AwaitingInvoice');
    expect((await handle.query(statusQuery)).approval?.approvedBy).toBe('ops-bot');
    await handle.terminate('test done');
  });
});

/** Runs the `temporal` CLI against the test server, asynchronously: the worker in this process keeps polling. */
async function temporalCli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    findOrInstallTemporal('cli')!,
    [...args, '--address', env.address],
    { encoding: 'utf8' },
  );
  return stdout;
}

test('approval with the temporal CLI (update execute), as an operator without the fsfo CLI would', async () => {
  const systems = new FakeSystems();
  await withWorker(systems, 'always', async (handle) => {
    await waitForStage(handle, 'AwaitingApproval');
    const stdout = await temporalCli(
      ...['workflow', 'update', 'execute', '--workflow-id', handle.workflowId, '--name', 'approveInvoicing'],
      ...['--input', JSON.stringify({ approvedBy: 'ops@contoso.com' })],
    );
    expect(stdout).toContain('ops@contoso.com');
    await waitForStage(handle, 'AwaitingInvoice');
    expect((await handle.query(statusQuery)).approval?.approvedBy).toBe('ops@contoso.com');
    await handle.terminate('test done');
  });
});

test('approval with the temporal CLI (signal), and a refused update from it changes nothing', async () => {
  const systems = new FakeSystems();
  await withWorker(systems, 'always', async (handle) => {
    await waitForStage(handle, 'AwaitingApproval');
    await expect(
      temporalCli(
        ...[
          'workflow',
          'update',
          'execute',
          '--workflow-id',
          handle.workflowId,
          '--name',
          'approveInvoicing',
        ],
        ...['--input', JSON.stringify({ comment: 'no name' })],
      ),
    ).rejects.toThrow(/approvedBy: name who approves \(required\)/);
    expect((await handle.query(statusQuery)).approval).toBeUndefined();

    await temporalCli(
      ...['workflow', 'signal', '--workflow-id', handle.workflowId, '--name', 'approveInvoicing'],
      ...['--input', JSON.stringify({ approvedBy: 'night-shift@contoso.com', comment: 'by signal' })],
    );
    await waitForStage(handle, 'AwaitingInvoice');
    expect((await handle.query(statusQuery)).approval).toMatchObject({
      approvedBy: 'night-shift@contoso.com',
      comment: 'by signal',
    });
    await handle.terminate('test done');
  });
});

test('an approval in the wrong stage is refused and keeps the first decision', async () => {
  const systems = new FakeSystems();
  await withWorker(systems, 'always', async (handle) => {
    await waitForStage(handle, 'AwaitingApproval');
    await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana' }] });
    await waitForStage(handle, 'AwaitingInvoice');
    const before = await handle.query(statusQuery);

    await expect(
      handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'sam' }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(
      handle.executeUpdate(rejectInvoicingUpdate, { args: [{ rejectedBy: 'sam', reason: 'too late' }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await handle.signal(approveInvoicingSignal, { approvedBy: 'sam' }); // logged and dropped
    await untilIdle(handle);

    expect(await handle.query(statusQuery)).toEqual(before);
    expect(systems.returnedToTechnician).toEqual([]);
    await handle.terminate('test done');
  });
});

test('approval policy above:<amount>: orders up to the amount are approved by the policy, larger ones wait', async () => {
  const small = new FakeSystems();
  small.totalAmount = 1000;
  await withWorker(small, 'above:1000', async (handle) => {
    await waitForStage(handle, 'AwaitingInvoice');
    expect((await handle.query(statusQuery)).approval?.approvedBy).toBe('approval policy "above:1000"');
    await handle.terminate('test done');
  });
  const large = new FakeSystems();
  large.totalAmount = 1000.01;
  await withWorker(large, 'above:1000', async (handle) => {
    await waitForStage(handle, 'AwaitingApproval');
    expect((await handle.query(statusQuery)).approval).toBeUndefined();
    await handle.terminate('test done');
  });
});

test('rejected, changed by the technician, re-synced and approved', async () => {
  const systems = new FakeSystems();
  await withWorker(systems, 'always', async (handle) => {
    await waitForStage(handle, 'AwaitingApproval');
    const answer = await handle.executeUpdate(rejectInvoicingUpdate, {
      args: [{ rejectedBy: 'dana', reason: 'labour missing' }],
    });
    expect(answer).toMatchObject({
      stage: 'Rejected',
      rejections: [{ rejectedBy: 'dana', reason: 'labour missing' }],
    });
    await waitForStage(handle, 'Rejected');
    for (
      let i = 0;
      i < 100 && !(await handle.query(statusQuery)).waitingFor.startsWith('the technician');
      i++
    ) {
      await delay(100);
    }
    expect(systems.returnedToTechnician).toEqual(['labour missing']);

    // The watcher also reports the workflow's own change (returning the work order): nothing happens.
    await handle.signal(workOrderChangedSignal);
    await untilIdle(handle);
    expect(await handle.query(statusQuery)).toMatchObject({ stage: 'Rejected', syncedVersion: '1' });

    systems.version = 2;
    systems.status = 'Completed';
    await handle.signal(workOrderChangedSignal);
    await waitForStage(handle, 'AwaitingApproval');
    const state = await handle.query(statusQuery);
    expect(state.syncedVersion).toBe('2');
    expect(state.rejections).toMatchObject([{ rejectedBy: 'dana', reason: 'labour missing' }]);

    await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana' }] });
    await waitForStage(handle, 'AwaitingInvoice');
    await handle.terminate('test done');
  });
});

test('a work order changed before approval updates the sales order and asks again', async () => {
  const systems = new FakeSystems();
  await withWorker(systems, 'always', async (handle) => {
    await waitForStage(handle, 'AwaitingApproval');
    const wo = (await handle.query(statusQuery)).workOrderNumber;
    expect(systems.salesOrders.get(wo)).toMatchObject({ version: 1, writes: 1 });
    systems.version = 2;
    await handle.signal(workOrderChangedSignal);
    for (let i = 0; i < 100 && (await handle.query(statusQuery)).syncedVersion !== '2'; i++) await delay(100);
    await waitForStage(handle, 'AwaitingApproval');
    expect(systems.salesOrders.get(wo)).toMatchObject({ version: 2, writes: 2 });
    await handle.terminate('test done');
  });
});

test('a change reported while the sales order is being written is not lost', async () => {
  const systems = new FakeSystems();
  await withWorker(systems, 'always', async (handle) => {
    systems.duringNextUpsert = async () => {
      systems.version = 2;
      await handle.signal(workOrderChangedSignal);
    };
    for (let i = 0; i < 100 && (await handle.query(statusQuery)).syncedVersion !== '2'; i++) await delay(100);
    await waitForStage(handle, 'AwaitingApproval');
    const wo = (await handle.query(statusQuery)).workOrderNumber;
    expect(systems.salesOrders.get(wo)).toMatchObject({ version: 2, writes: 2 });
    await handle.terminate('test done');
  });
});

test('a business failure parks the workflow in NeedsAttention with the reason; retry after the fix continues', async () => {
  const systems = new FakeSystems();
  systems.dataProblem = 'Work order has no service account: set one in Field Service';
  await withWorker(systems, 'never', async (handle) => {
    await waitForStage(handle, 'NeedsAttention');
    const parked = await handle.query(statusQuery);
    expect(parked.attention).toMatchObject({ reason: systems.dataProblem, stage: 'SyncingMasterData' });
    expect(systems.salesOrders.size).toBe(0);
    // The operator's list shows why, and the workflow's page what to do.
    const needsAPerson = `WorkflowId = "${handle.workflowId}" AND IntegrationStage = "NeedsAttention"`;
    expect(await listedAttribute(needsAPerson, 'AttentionReason')).toEqual([systems.dataProblem]);
    expect(await currentDetails(handle)).toMatch(/\*\*To do\*\*: .*`retry`/);

    systems.dataProblem = undefined;
    const answer = await handle.executeUpdate(retryUpdate, { args: [{ requestedBy: 'dana' }] });
    expect(answer.stage).not.toBe('NeedsAttention');
    expect(answer.attention).toBeUndefined();
    await waitForStage(handle, 'AwaitingInvoice');
    const state = await handle.query(statusQuery);
    expect(state.attention).toBeUndefined();
    const invoiceAwaited = `WorkflowId = "${handle.workflowId}" AND IntegrationStage = "AwaitingInvoice"`;
    expect(await listedAttribute(invoiceAwaited, 'AttentionReason')).toBeUndefined();
    expect(state.approval?.approvedBy).toBe('approval policy "never"');
    await handle.terminate('test done');
  });
});

test('a reason longer than a search attribute may hold is listed by its first 200 characters; status keeps it whole', async () => {
  const systems = new FakeSystems();
  systems.dataProblem = `Work order has 40 lines whose products are not in F&O: ${'P-9000, '.repeat(400)}`;
  await withWorker(systems, 'never', async (handle) => {
    await waitForStage(handle, 'NeedsAttention');
    expect((await handle.query(statusQuery)).attention?.reason).toBe(systems.dataProblem);
    const needsAPerson = `WorkflowId = "${handle.workflowId}" AND IntegrationStage = "NeedsAttention"`;
    expect(await listedAttribute(needsAPerson, 'AttentionReason')).toEqual([
      systems.dataProblem!.slice(0, 200),
    ]);
    await handle.terminate('test done');
  });
});

test('a work order parked while it could not sync resumes by itself when Field Service reports a change', async () => {
  const systems = new FakeSystems();
  systems.dataProblem = 'Work order does not sync: it is Open-Unscheduled';
  await withWorker(systems, 'never', async (handle) => {
    await waitForStage(handle, 'NeedsAttention');
    systems.dataProblem = undefined; // the dispatcher schedules it
    await handle.signal(workOrderChangedSignal);
    await waitForStage(handle, 'AwaitingInvoice');
    await handle.terminate('test done');
  });
});

test('a change reported while the data is still wrong tries once more and parks again: no hot loop', async () => {
  const systems = new FakeSystems();
  systems.dataProblem = 'Customers of work order: key field CustomerAccount has no value for this record';
  await withWorker(systems, 'never', async (handle) => {
    await waitForStage(handle, 'NeedsAttention');
    expect(systems.workOrderLoads).toBe(1);
    await handle.signal(workOrderChangedSignal); // e.g. the technician edited another field
    await untilIdle(handle);
    expect(systems.workOrderLoads).toBe(2);
    expect(await handle.query(statusQuery)).toMatchObject({
      stage: 'NeedsAttention',
      attention: { reason: systems.dataProblem },
    });
    // Parked twice, told twice: once per event, with what to do.
    expect(systems.notices).toEqual([
      expect.objectContaining({ event: 'needs-attention', reason: systems.dataProblem }),
      expect.objectContaining({ event: 'needs-attention', reason: systems.dataProblem }),
    ]);
    expect(systems.notices[0]!.actions[0]).toBe(
      `fsfo work-order retry ${handle.workflowId.slice('work-order-'.length)}`,
    );

    systems.dataProblem = undefined;
    await handle.signal(workOrderChangedSignal);
    await waitForStage(handle, 'AwaitingInvoice');
    await handle.terminate('test done');
  });
});

test('a sales order F&O could not take is written from the work order as fixed, on retry or on a reported change', async () => {
  const systems = new FakeSystems();
  systems.orderProblem = 'Work order cannot become a sales order: line 1 has a negative quantity (-2)';
  await withWorker(systems, 'always', async (handle) => {
    await waitForStage(handle, 'NeedsAttention');
    expect((await handle.query(statusQuery)).attention?.stage).toBe('CreatingSalesOrder');

    await handle.executeUpdate(retryUpdate, { args: [{ requestedBy: 'dana' }] }); // not fixed yet
    for (let i = 0; i < 50 && systems.workOrderLoads < 2; i++) await delay(100);
    await waitForStage(handle, 'NeedsAttention');
    expect(systems.workOrderLoads).toBe(2); // the retry read the work order again

    systems.orderProblem = undefined;
    systems.version = 2;
    await handle.signal(workOrderChangedSignal); // the technician's fix, as the watcher reports it
    await waitForStage(handle, 'AwaitingApproval');
    const wo = (await handle.query(statusQuery)).workOrderNumber;
    expect(systems.salesOrders.get(wo)).toMatchObject({ version: 2 });
    expect((await handle.query(statusQuery)).syncedVersion).toBe('2');
    await handle.terminate('test done');
  });
});

describe('a work order cancelled in Field Service', () => {
  /** The dispatcher cancels it; the watcher reports the change. */
  async function cancel(systems: FakeSystems, handle: Handle): Promise<void> {
    systems.status = 'ClosedCanceled';
    systems.version++;
    await handle.signal(workOrderChangedSignal);
  }

  test('while awaiting approval: the F&O order is marked ClosedCanceled and left to F&O; the workflow ends Canceled', async () => {
    const systems = new FakeSystems();
    await withWorker(systems, 'always', async (handle) => {
      await waitForStage(handle, 'AwaitingApproval');
      await cancel(systems, handle);
      const result = await handle.result();
      expect(result.stage).toBe('Canceled');
      expect(result.approval).toBeUndefined();
      expect(result.cancellation?.outcome).toBe(
        `cancelled in Field Service before invoicing; F&O sales order ${result.workOrderNumber} is left open ` +
          'with ExternalWorkOrderStatus ClosedCanceled, for F&O to cancel',
      );
      expect(result.waitingFor).toMatch(/^nothing: the work order was cancelled in Field Service/);
      expect(systems.salesOrders.get(result.workOrderNumber)).toMatchObject({
        status: 'ClosedCanceled',
        writes: 1,
      });
      expect(systems.invoiceLookups).toBe(0);
      const listed = `WorkflowId = "${handle.workflowId}" AND IntegrationStage = "Canceled"`;
      let count = 0;
      for (let attempt = 0; attempt < 50 && count === 0; attempt++) {
        count = (await env.client.workflow.count(listed)).count;
        if (count === 0) await delay(200);
      }
      expect(count).toBe(1);
    });
  });

  test('while rejected and back with the technician: ends Canceled', async () => {
    const systems = new FakeSystems();
    await withWorker(systems, 'always', async (handle) => {
      await waitForStage(handle, 'AwaitingApproval');
      await handle.executeUpdate(rejectInvoicingUpdate, {
        args: [{ rejectedBy: 'dana', reason: 'wrong site' }],
      });
      for (
        let i = 0;
        i < 100 && !(await handle.query(statusQuery)).waitingFor.startsWith('the technician');
        i++
      )
        await delay(100);
      await cancel(systems, handle);
      const result = await handle.result();
      expect(result).toMatchObject({ stage: 'Canceled', rejections: [{ reason: 'wrong site' }] });
      expect(systems.salesOrders.get(result.workOrderNumber)?.status).toBe('ClosedCanceled');
    });
  });

  test('while parked before any order was written: ends Canceled and F&O is not asked', async () => {
    const systems = new FakeSystems();
    systems.dataProblem = 'Work order has no service account: set one in Field Service';
    await withWorker(systems, 'always', async (handle) => {
      await waitForStage(handle, 'NeedsAttention');
      systems.dataProblem = undefined;
      await cancel(systems, handle);
      const result = await handle.result();
      expect(result.stage).toBe('Canceled');
      expect(result.attention).toBeUndefined();
      expect(result.cancellation?.outcome).toBe(
        'cancelled in Field Service before a sales order was written; F&O has no order of it',
      );
      expect(systems.salesOrders.size).toBe(0);
    });
  });

  test('after approval: the cancellation is recorded and the order marked, and the invoice F&O still posts is recorded', async () => {
    const systems = new FakeSystems();
    await withWorker(systems, 'never', async (handle) => {
      await waitForStage(handle, 'AwaitingInvoice');
      // The watcher reports the workflow's own change (closing the work order): read, nothing noted.
      await handle.signal(workOrderChangedSignal);
      await untilIdle(handle);
      expect(systems.workOrderLoads).toBe(3);
      expect((await handle.query(statusQuery)).cancellation).toBeUndefined();

      await cancel(systems, handle);
      let state = await handle.query(statusQuery);
      for (let i = 0; i < 100 && !state.cancellation; i++) {
        await delay(100);
        state = await handle.query(statusQuery);
      }
      expect(state.stage).toBe('AwaitingInvoice');
      expect(state.waitingFor).toContain('cancelled in Field Service after approval');
      expect(state.cancellation?.outcome).toMatch(/^cancelled in Field Service after invoicing was approved/);
      expect(systems.salesOrders.get(state.workOrderNumber)?.status).toBe('ClosedCanceled');

      const invoice = systems.postInvoice(state.workOrderNumber);
      await handle.signal(invoicePostedSignal, { invoiceNumber: invoice.invoiceNumber });
      const result = await handle.result();
      expect(result).toMatchObject({ stage: 'Invoiced', invoice: { invoiceNumber: invoice.invoiceNumber } });
      expect(result.cancellation).toEqual(state.cancellation);
    });
  });
});
