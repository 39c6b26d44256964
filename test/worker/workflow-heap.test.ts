import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DEFAULT_WORKER_SETTINGS } from '../../config/worker';

// V8's flags are the process's: the limit is set in a process of its own, never in Jest's.
function workflowThreadHeapLimitMb(variables: NodeJS.ProcessEnv): number {
  const script = `
    const { Worker } = require('node:worker_threads');
    const { loadConfig } = require('./config/config');
    const { limitWorkflowThreadHeap } = require('./worker/workflow-heap');
    limitWorkflowThreadHeap(loadConfig(process.env).worker.workflowHeapMb);
    const thread = new Worker(
      "require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit)",
      { eval: true },
    );
    thread.once('message', (limit) => {
      console.log(limit);
      thread.terminate();
    });
  `;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: resolve(__dirname, '..', '..'),
    env: { PATH: process.env.PATH, ...variables },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return Number(result.stdout) / 2 ** 20;
}

// heap_size_limit is the old space plus the young generation (16 to 64 MB, V8's choice).
const YOUNG_GENERATION_MAX_MB = 64;

test('the workflow thread gets the configured heap limit, the documented default when unset', () => {
  const byDefault = workflowThreadHeapLimitMb({});
  expect(byDefault).toBeGreaterThan(DEFAULT_WORKER_SETTINGS.workflowHeapMb);
  expect(byDefault).toBeLessThanOrEqual(DEFAULT_WORKER_SETTINGS.workflowHeapMb + YOUNG_GENERATION_MAX_MB);
  const configured = workflowThreadHeapLimitMb({
    WORKER_MAX_CACHED_WORKFLOWS: '50',
    WORKER_WORKFLOW_HEAP_MB: '96',
  });
  expect(configured).toBeGreaterThan(96);
  expect(configured).toBeLessThanOrEqual(96 + YOUNG_GENERATION_MAX_MB);
});
