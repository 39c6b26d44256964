import { getHeapStatistics } from 'node:v8';
import type { WorkerSettings } from '../config/worker';
import { WORKER_MAIN_HEAP_MB, WORKER_NODE_FLAGS } from './node-flags';

// heap_size_limit is the old space plus the young generation, which the flags keep under 16 MB.
const YOUNG_GENERATION_ALLOWANCE_MB = 16;

/**
 * The line the worker prints at start: what bounds its memory, and a warning when its main thread
 * runs without the worker's Node flags (started with plain `node` or `tsx`), whose heap then keeps
 * whatever a burst grew it to.
 */
export function memoryBoundsReport(
  settings: WorkerSettings,
  mainHeapLimitBytes = getHeapStatistics().heap_size_limit,
) {
  const mainMb = Math.round(mainHeapLimitBytes / 2 ** 20);
  const line =
    `Memory: ${settings.maxCachedWorkflows} workflows cached, workflow heap ${settings.workflowHeapMb} MB, ` +
    `main heap ${mainMb} MB, ${settings.maxConcurrentActivities} activities and ` +
    `${settings.maxConcurrentWorkflowTasks} workflow tasks at once`;
  if (mainMb <= WORKER_MAIN_HEAP_MB + YOUNG_GENERATION_ALLOWANCE_MB) return { line };
  return {
    line,
    warning:
      `The main thread's heap may grow to ${mainMb} MB: start the worker with ${WORKER_NODE_FLAGS.join(' ')} ` +
      '(npm run worker and the Docker image do) to keep it bounded',
  };
}
