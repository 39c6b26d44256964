import type { Client } from '@temporalio/client';
import type { MetricMeter } from '@temporalio/common';
import { IntegrationStage } from '../../workflows/search-attributes';

export const WAITING_WORKFLOWS_METRIC = 'fsfo_waiting_for_person';

/** The stages where a document waits for a person. */
const STAGES = ['NeedsAttention', 'AwaitingApproval'] as const;

/** How often the counts are read: one visibility query per stage each time. */
const EVERY_MS = 15_000;

export interface WaitingWorkflowsGauge {
  stop(): Promise<void>;
}

/**
 * A gauge of the running workflows of the task queue in NeedsAttention and AwaitingApproval, read from
 * Temporal visibility on an interval. Counting entries and exits in one worker cannot give how many wait
 * now: workflows move between workers and a restart loses the count; visibility holds the answer for all.
 * Every worker of a deployment reports the same value, so dashboards take the `max`.
 */
export function startWaitingWorkflowsGauge(
  client: Client,
  taskQueue: string,
  meter: MetricMeter,
  everyMs = EVERY_MS,
): WaitingWorkflowsGauge {
  const gauge = meter.createGauge(
    WAITING_WORKFLOWS_METRIC,
    'int',
    '',
    'Running workflows waiting for a person, by stage (Temporal visibility)',
  );
  let failing = false;
  const read = async () => {
    try {
      for (const stage of STAGES) {
        const query =
          `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running' ` +
          `AND ${IntegrationStage.name} = '${stage}'`;
        const { count } = await client.workflow.count(query);
        gauge.set(count, { stage, task_queue: taskQueue });
      }
      failing = false;
    } catch (error) {
      if (!failing) console.warn(`Cannot count the workflows waiting for a person: ${String(error)}`);
      failing = true;
    }
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = read().then(() => {
      if (!stopped) timer = setTimeout(tick, everyMs);
    });
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
