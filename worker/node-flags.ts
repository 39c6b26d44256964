/**
 * Node's flags for the worker process, on its command line wherever it is started: `npm run worker`,
 * the Docker image, `npm start` and the benchmark (test/worker/node-flags.test.ts keeps them equal).
 * They bound the main thread's heap, where activities run: without them V8 lets it grow to whatever a
 * burst of work orders needed (150 MB and more) and keeps it. The semi-space size bounds the young
 * generation of both threads; the workflow thread's old space is set by the worker itself
 * (`WORKER_WORKFLOW_HEAP_MB`, `workflow-heap.ts`). Measured in docs/PERFORMANCE.md ("Worker memory").
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=4'];

/** The main thread's old-space limit the flags give, in MB. */
export const WORKER_MAIN_HEAP_MB = 128;
