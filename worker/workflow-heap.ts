import { setFlagsFromString } from 'node:v8';

/**
 * Limits the heap of the thread the SDK runs the workflows in, where every cached workflow lives. The SDK
 * starts that thread without resource limits, and a thread sizes its heap from V8's flags as they are when
 * it starts: `--max-old-space-size` set here applies to the threads started later (the workflow thread,
 * created by `Worker.create`), not to the main thread, which is already running. Call before `Worker.create`.
 */
export function limitWorkflowThreadHeap(megabytes: number): void {
  setFlagsFromString(`--max-old-space-size=${megabytes}`);
}
