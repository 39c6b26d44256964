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
  /** The task queue the workflows run on: the watch lists only its workflows. */
  taskQueue: string;
  /** Called once per workflow when it reaches AwaitingInvoice: post the invoice and signal it. */
  onAwaitingInvoice: (workflowId: string) => Promise<void>;
  /** When to give up on the workflows still running. */
  deadline: number;
  /** Invoices posted at once. */
  concurrency?: number;
}

async function listIds(client: Client, query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids;
}

/**
 * Watches workflows until each has completed or needs attention. Each round asks Temporal's visibility
 * store three questions (which are AwaitingInvoice, which need attention, which are not running), so
 * watching costs the same whatever the number of workflows and costs the worker nothing (no queries).
 * Returns the failures.
 */
export async function driveToCompletion(
  client: Client,
  workflowIds: readonly string[],
  { taskQueue, onAwaitingInvoice, deadline, concurrency = 8 }: DriveOptions,
): Promise<{ workflowId: string; reason: string }[]> {
  const pending = new Set(workflowIds);
  const invoiced = new Set<string>();
  const failures: { workflowId: string; reason: string }[] = [];
  const queue = `TaskQueue = '${taskQueue}'`;
  while (pending.size > 0) {
    if (Date.now() > deadline) {
      for (const workflowId of pending)
        failures.push({ workflowId, reason: 'still running at the deadline' });
      break;
    }
    const awaiting = (
      await listIds(
        client,
        `${queue} AND ExecutionStatus = 'Running' AND IntegrationStage = 'AwaitingInvoice'`,
      )
    ).filter((id) => pending.has(id) && !invoiced.has(id));
    for (const id of awaiting) invoiced.add(id);
    await inParallel(awaiting, concurrency, onAwaitingInvoice);
    for (const id of await listIds(
      client,
      `${queue} AND ExecutionStatus = 'Running' AND IntegrationStage = 'NeedsAttention'`,
    )) {
      if (pending.delete(id)) failures.push({ workflowId: id, reason: 'NeedsAttention' });
    }
    for await (const execution of client.workflow.list({
      query: `${queue} AND ExecutionStatus != 'Running'`,
    })) {
      if (!pending.delete(execution.workflowId)) continue;
      if (execution.status.name !== 'COMPLETED')
        failures.push({ workflowId: execution.workflowId, reason: `workflow ${execution.status.name}` });
    }
    if (pending.size > 0) await delay(250);
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
