import type { Client } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import type { Config } from '../../config/config';
import { approveInvoicingUpdate } from '../../workflows/work-order/messages';
import { waitForStage } from './drive';
import {
  addRequests,
  requestsPerWorkOrder,
  type RequestsPerWorkOrder,
  type Stats,
  subtractRequests,
} from './request-counts';
import type { SandboxClient } from './sandbox-client';
import type { BenchWatchers } from './watchers';

/** One work order's requests, step by step, each of its own writes reported back by the watcher. */
export interface Calibration {
  /** A work order watcher run with nothing to report: subtracted from the feedback steps. */
  emptyWatcherRun: RequestsPerWorkOrder;
  steps: {
    toSalesOrder: RequestsPerWorkOrder;
    approvalCloseAndResync: RequestsPerWorkOrder;
    /** The watcher reports the work order the workflow closed, while it awaits its invoice. */
    closeReportedBack: RequestsPerWorkOrder;
    invoiceDetectionAndRecording: RequestsPerWorkOrder;
    /** The watcher reports the invoice fields the workflow wrote, once it has completed. */
    invoiceReportedBack: RequestsPerWorkOrder;
  };
  wholePath: RequestsPerWorkOrder;
  raw: Record<string, Stats>;
}

/** Until the workflow has nothing left to do (no workflow task, no activity pending). */
async function settled(client: Client, workflowId: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { raw } = await client.workflow.getHandle(workflowId).describe();
    if (!raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0) return;
    if (Date.now() > deadline) throw new Error(`${workflowId} still busy after ${timeoutMs} ms`);
    await delay(100);
  }
}

/**
 * One work order alone, approval policy `always` so each step is counted apart (the sandboxes'
 * statistics read and reset between steps); the watchers are paused and run once after each write of
 * the workflow's own, as their next scheduled run would, so the requests that report costs count too.
 */
export async function calibrate(
  client: Client,
  config: Config,
  sandbox: SandboxClient,
  watchers: BenchWatchers,
  workOrder: string,
  postAndSignal: (workflowId: string) => Promise<void>,
): Promise<Calibration> {
  const workflowId = workOrderWorkflowId(workOrder);
  const raw: Record<string, Stats> = {};
  const step = async (name: string, work: () => Promise<void>): Promise<RequestsPerWorkOrder> => {
    await sandbox.resetStats();
    await work();
    raw[name] = await sandbox.stats();
    return requestsPerWorkOrder(raw[name], 1);
  };
  const reportBack = async () => {
    await watchers.runOnce('work-order-watcher');
    await settled(client, workflowId);
  };

  const emptyWatcherRun = await step('emptyWatcherRun', () => watchers.runOnce('work-order-watcher'));
  const toSalesOrder = await step('toSalesOrder', async () => {
    await startWorkOrder(client, { ...config, approvalPolicy: 'always' }, workOrder);
    await waitForStage(client, workflowId, 'AwaitingApproval');
  });
  const approvalCloseAndResync = await step('approvalCloseAndResync', async () => {
    await client.workflow
      .getHandle(workflowId)
      .executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'bench' }] });
    await waitForStage(client, workflowId, 'AwaitingInvoice');
  });
  const closeReportedBack = subtractRequests(await step('closeReportedBack', reportBack), emptyWatcherRun);
  const invoiceDetectionAndRecording = await step('invoiceDetectionAndRecording', async () => {
    await postAndSignal(workflowId);
    await waitForStage(client, workflowId, 'completed');
  });
  const invoiceReportedBack = subtractRequests(
    await step('invoiceReportedBack', reportBack),
    emptyWatcherRun,
  );
  const steps = {
    toSalesOrder,
    approvalCloseAndResync,
    closeReportedBack,
    invoiceDetectionAndRecording,
    invoiceReportedBack,
  };
  return { emptyWatcherRun, steps, wholePath: addRequests(Object.values(steps)), raw };
}
