import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { workOrderWorkflowId } from '../../client/starters/work-order';
import { IntegrationStage } from '../../workflows/search-attributes';
import { readTimeline } from './history';
import { percentiles, type Percentiles } from './report';
import type { SandboxClient } from './sandbox-client';

/** What reports the completion to the product: the Dataverse webhook or the work order watcher's next run. */
export type LatencyVia = 'webhook' | 'watcher';

export interface LatencySample {
  workOrder: string;
  /** Completion written in Field Service → the workflow started (by the webhook, or the work order watcher). */
  detectionMs: number;
  /** Workflow started → sales order created in F&O (`syncSalesOrder` completed). */
  processingMs: number;
  /** Completion written → sales order created. */
  totalMs: number;
}

export interface UnloadedLatency {
  via: LatencyVia;
  /** The work order watcher's interval: through the watcher, detection waits for its next run. */
  watchEvery: string;
  samples: LatencySample[];
  totalMs: Percentiles | undefined;
  detectionMs: Percentiles | undefined;
  processingMs: Percentiles | undefined;
}

/** Waits until the workflow exists and has reached `stage` (it ran on to where it waits). */
async function reachedStage(client: Client, workflowId: string, stage: string, deadline: number) {
  for (;;) {
    try {
      const description = await client.workflow.getHandle(workflowId).describe();
      const current = description.typedSearchAttributes.get(IntegrationStage);
      if (current === stage) return;
      if (current === 'NeedsAttention' || description.status.name !== 'RUNNING')
        throw new Error(`${workflowId} is ${description.status.name} / ${current}, expected ${stage}`);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    if (Date.now() > deadline) throw new Error(`${workflowId} did not reach ${stage} in time`);
    await delay(100);
  }
}

/**
 * Unloaded latency, one work order at a time: each is created Unscheduled with its lines, then completed
 * in Field Service (the write that makes it eligible); the Dataverse webhook step (`via` webhook) or the
 * running work order watcher schedule's next run starts its workflow, which runs to its sales order and
 * on until it awaits its invoice before the next one is completed. Times: the bench's clock for the
 * completion, the server's history for the rest (one machine, one clock).
 */
export async function measureUnloadedLatency(
  client: Client,
  sandbox: SandboxClient,
  workOrders: readonly string[],
  {
    via,
    lines,
    watchEvery,
    timeoutMsEach,
  }: { via: LatencyVia; lines: number; watchEvery: string; timeoutMsEach: number },
  log: (message: string) => void,
): Promise<UnloadedLatency> {
  const samples: LatencySample[] = [];
  for (const workOrder of workOrders) {
    const id = await sandbox.createUnscheduledWorkOrder(workOrder, lines);
    await sandbox.completeWorkOrder(id);
    const completed = Date.now();
    const workflowId = workOrderWorkflowId(workOrder);
    await reachedStage(client, workflowId, 'AwaitingInvoice', completed + timeoutMsEach);
    const timeline = await readTimeline(client, workflowId);
    if (timeline.salesOrderCreated === undefined)
      throw new Error(`${workflowId}: no sales order in its history`);
    const sample = {
      workOrder,
      detectionMs: timeline.started - completed,
      processingMs: timeline.salesOrderCreated - timeline.started,
      totalMs: timeline.salesOrderCreated - completed,
    };
    samples.push(sample);
    log(
      `latency ${samples.length}/${workOrders.length}: ${workOrder} ${sample.totalMs} ms (detection ${sample.detectionMs} ms)`,
    );
  }
  return {
    via,
    watchEvery,
    samples,
    totalMs: percentiles(samples.map((s) => s.totalMs)),
    detectionMs: percentiles(samples.map((s) => s.detectionMs)),
    processingMs: percentiles(samples.map((s) => s.processingMs)),
  };
}
