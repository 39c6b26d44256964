import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * A TypeScript entry point of this project run as a child process with its output on our console.
 * Node runs it with tsx as a loader (no wrapper process), so a signal sent to the child reaches it;
 * `nodeFlags` go before the loader (e.g. the worker's heap limits).
 */
export function runTsChild(entry: string, env: NodeJS.ProcessEnv, nodeFlags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, '--import', 'tsx', entry], { stdio: 'inherit', env });
}

/** SIGTERM, then SIGKILL if the child has not exited within the grace period. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
