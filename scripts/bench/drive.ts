import type { Client } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { IntegrationStage } from '../../workflows/search-attributes';

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

export interface DriveOptions {
  /** Called once per workflow when it reaches AwaitingInvoice: post the invoice and signal it. */
  onAwaitingInvoice: (workflowId: string) => Promise<void>;
  /** When to give up on the workflows still running. */
  deadline: number;
  /** Describe calls in flight at once. */
  concurrency?: number;
}

/**
 * Watches workflows until each has completed or needs attention. It reads each one's stage with
 * DescribeWorkflowExecution (the `IntegrationStage` search attribute), which the server answers
 * without a workflow task, so watching costs the worker nothing. Returns the failures.
 */
export async function driveToCompletion(
  client: Client,
  workflowIds: readonly string[],
  { onAwaitingInvoice, deadline, concurrency = 8 }: DriveOptions,
): Promise<{ workflowId: string; reason: string }[]> {
  const pending = new Set(workflowIds);
  const invoiced = new Set<string>();
  const failures: { workflowId: string; reason: string }[] = [];
  while (pending.size > 0) {
    if (Date.now() > deadline) {
      for (const workflowId of pending)
        failures.push({ workflowId, reason: 'still running at the deadline' });
      break;
    }
    await inParallel([...pending], concurrency, async (workflowId) => {
      const description = await client.workflow.getHandle(workflowId).describe();
      const stage = description.typedSearchAttributes.get(IntegrationStage);
      if (description.status.name === 'COMPLETED') {
        pending.delete(workflowId);
      } else if (description.status.name !== 'RUNNING') {
        pending.delete(workflowId);
        failures.push({ workflowId, reason: `workflow ${description.status.name}` });
      } else if (stage === 'NeedsAttention') {
        pending.delete(workflowId);
        failures.push({ workflowId, reason: 'NeedsAttention' });
      } else if (stage === 'AwaitingInvoice' && !invoiced.has(workflowId)) {
        invoiced.add(workflowId);
        await onAwaitingInvoice(workflowId);
      }
    });
    if (pending.size > 0) await delay(200);
  }
  return failures;
}

/** Waits until one workflow's stage is `stage` (or it has completed when `stage` is 'completed'). */
export async function waitForStage(client: Client, workflowId: string, stage: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const description = await client.workflow.getHandle(workflowId).describe();
    const current = description.typedSearchAttributes.get(IntegrationStage);
    if (stage === 'completed' ? description.status.name === 'COMPLETED' : current === stage) return;
    if (current === 'NeedsAttention' || description.status.name !== 'RUNNING')
      throw new Error(`${workflowId} is ${description.status.name} / ${current}, expected ${stage}`);
    if (Date.now() > deadline) throw new Error(`${workflowId} still ${current} after ${timeoutMs} ms`);
    await delay(100);
  }
}
