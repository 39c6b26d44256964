import { z } from 'zod';

/**
 * What bounds the worker's memory (docs/PERFORMANCE.md, "Worker memory"). A worker holds every cached
 * workflow in the heap of the thread the workflows run in, so the cache and that heap's limit decide its
 * size after any burst; the slots decide how much a burst takes while it lasts.
 */
export interface WorkerSettings {
  /** Workflows kept in the sticky cache; an evicted one is replayed from its history at its next task. */
  maxCachedWorkflows: number;
  /** Workflow tasks run at once; at most `maxCachedWorkflows`. */
  maxConcurrentWorkflowTasks: number;
  /** Activities run at once: each holds its requests and responses in the main heap while it runs. */
  maxConcurrentActivities: number;
  /** Heap limit of the workflow thread, in MB (V8's old space); the worker sets it before creating the thread. */
  workflowHeapMb: number;
}

/**
 * The workflow thread's heap a cache needs: the bundle and the SDK take about 30 MB, a cached work order
 * 0.25 to 0.5 MB (measured with 100 in flight), and V8 needs room above what is live to collect. Traced,
 * each workflow also holds the OpenTelemetry interceptors: about 0.75 MB a cached work order
 * (docs/PERFORMANCE.md, "Tracing"), so a megabyte each.
 */
export const minimumWorkflowHeapMb = (maxCachedWorkflows: number, traced: boolean) =>
  64 + (traced ? maxCachedWorkflows : Math.ceil(maxCachedWorkflows / 2));

export const DEFAULT_WORKER_SETTINGS: WorkerSettings = {
  maxCachedWorkflows: 100,
  maxConcurrentWorkflowTasks: 10,
  maxConcurrentActivities: 10,
  workflowHeapMb: 128,
};

const wholeNumber = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/** The environment variables of the worker's settings, with their bounds. */
export const WORKER_VARIABLES = {
  // The SDK needs 0 (no cache: a replay per task) or at least 2; a worker without a cache is not a product setting.
  WORKER_MAX_CACHED_WORKFLOWS: wholeNumber(2, 100_000),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: wholeNumber(2, 1_000),
  WORKER_MAX_CONCURRENT_ACTIVITIES: wholeNumber(1, 1_000),
  // Below 64 MB the workflow bundle alone does not fit.
  WORKER_WORKFLOW_HEAP_MB: wholeNumber(64, 65_536),
};

type Values = { [V in keyof typeof WORKER_VARIABLES]?: z.output<(typeof WORKER_VARIABLES)[V]> };

/** The worker's settings from the parsed variables, or the issue that makes them inconsistent. */
export function workerSettings(
  values: Values,
  { traced }: { traced: boolean },
): { settings: WorkerSettings } | { issue: { variable: string; message: string } } {
  const maxCachedWorkflows = values.WORKER_MAX_CACHED_WORKFLOWS ?? DEFAULT_WORKER_SETTINGS.maxCachedWorkflows;
  const minimumHeapMb = minimumWorkflowHeapMb(maxCachedWorkflows, traced);
  const settings: WorkerSettings = {
    maxCachedWorkflows,
    maxConcurrentWorkflowTasks:
      values.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS ?? DEFAULT_WORKER_SETTINGS.maxConcurrentWorkflowTasks,
    maxConcurrentActivities:
      values.WORKER_MAX_CONCURRENT_ACTIVITIES ?? DEFAULT_WORKER_SETTINGS.maxConcurrentActivities,
    // A larger cache, or tracing, raises the default; a heap set too small for them is refused below.
    workflowHeapMb:
      values.WORKER_WORKFLOW_HEAP_MB ?? Math.max(DEFAULT_WORKER_SETTINGS.workflowHeapMb, minimumHeapMb),
  };
  // Past its limit the workflow thread stops with "out of memory" and takes the worker down.
  if (settings.workflowHeapMb < minimumHeapMb) {
    return {
      issue: {
        variable: 'WORKER_WORKFLOW_HEAP_MB',
        message:
          `must be at least ${minimumHeapMb} for ${maxCachedWorkflows} cached workflows (WORKER_MAX_CACHED_WORKFLOWS)` +
          (traced ? ' traced (OTEL_EXPORTER_OTLP_ENDPOINT)' : ''),
      },
    };
  }
  // The SDK would lower it silently; a task beyond the cache would evict the workflow it runs.
  if (settings.maxConcurrentWorkflowTasks > settings.maxCachedWorkflows) {
    return {
      issue: {
        variable: 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
        message: `must not exceed WORKER_MAX_CACHED_WORKFLOWS (${settings.maxCachedWorkflows})`,
      },
    };
  }
  return { settings };
}
