import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

/** A worker (or other TypeScript entry point) as a child process of its own, so its memory is its own. */
export interface ChildWorker {
  process: ChildProcess;
  /** Peak resident set size so far (Linux `VmHWM`), in bytes; undefined where /proc is not available. */
  peakRss(): number | undefined;
  /** Current resident set size (Linux `VmRSS`), in bytes. */
  rss(): number | undefined;
  stop(): Promise<void>;
}

function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `node --import tsx <entry>` (no `tsx` relay process in between, so the pid is the worker's) and
 * resolves once it prints that it polls, or rejects if it exits first or takes longer than `timeoutMs`.
 */
export async function startChildWorker(
  entry: string,
  env: NodeJS.ProcessEnv,
  label: string,
  timeoutMs = 120_000,
): Promise<ChildWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, entry)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${label} did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (data: Buffer) => {
      output += data.toString();
      if (output.includes('Worker polling')) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (data: Buffer) => {
      output += data.toString();
      process.stderr.write(`[${label}] ${data.toString()}`);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code ?? signal}) before polling:\n${output}`));
    });
  });
  await ready;
  const pid = child.pid!;
  return {
    process: child,
    peakRss: () => procStatus(pid, 'VmHWM'),
    rss: () => procStatus(pid, 'VmRSS'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
