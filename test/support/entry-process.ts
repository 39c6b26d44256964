import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const ROOT = resolve(__dirname, '..', '..');

/** One of the product's entry points run as an operator runs it, its output collected as it comes. */
export interface EntryProcess {
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Waits until stdout or stderr (`stream`) has a line matching `pattern`; fails naming what it printed. */
  waitForLine(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The exit code, once it exits. */
  exited(): Promise<number | null>;
  stop(): Promise<void>;
}

/** `entry` (e.g. `worker/main.ts`) with tsx as a loader and only the variables in `env` (and PATH). */
export function startEntry(entry: string, env: NodeJS.ProcessEnv, args: string[] = []): EntryProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return {
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    async waitForLine(stream, pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = output[stream].split('\n').find((candidate) => pattern.test(candidate));
        if (line !== undefined) return line;
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(
            `no ${stream} line matching ${pattern} (exit code ${child.exitCode}); stdout:\n` +
              `${output.stdout}\nstderr:\n${output.stderr}`,
          );
        }
        await delay(100);
      }
    },
    exited: () => exit,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exit;
    },
  };
}
