import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WORKER_NODE_FLAGS } from '../../worker/node-flags';

const root = resolve(__dirname, '..', '..');

/** A worker (or other TypeScript entry point) as a child process of its own, so its memory is its own. */
export interface ChildWorker {
  process: ChildProcess;
  /** Peak resident set size so far (Linux `VmHWM`), in bytes; undefined where /proc is not available. */
  peakRss(): number | undefined;
  /** Current resident set size (Linux `VmRSS`), in bytes. */
  rss(): number | undefined;
  stop(): Promise<void>;
  /** SIGKILL: the process ends at once, whatever it was doing. */
  kill(): Promise<void>;
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
 * resolves once it prints `readyText` (a worker: that it polls), or rejects if it exits first or takes
 * longer than `timeoutMs`.
 */
export function startChildWorker(
  entry: string,
  env: NodeJS.ProcessEnv,
  label: string,
  timeoutMs = 120_000,
  echoStderr = true,
  readyText = 'Worker polling',
): Promise<ChildWorker> {
  return startNode(['--import', 'tsx', resolve(root, entry)], env, label, timeoutMs, echoStderr, readyText);
}

/**
 * The product worker as the Docker image runs it: built JavaScript (`npm run build`, `dist/`) with the
 * pre-built workflow bundle and the worker's Node flags.
 */
export function startBuiltWorker(env: NodeJS.ProcessEnv, label = 'worker'): Promise<ChildWorker> {
  return startNode(
    [...WORKER_NODE_FLAGS, resolve(root, 'dist/worker/main.js')],
    { ...env, WORKFLOW_BUNDLE: resolve(root, 'dist/workflow-bundle.js') },
    label,
    120_000,
    true,
    'Worker polling',
  );
}

async function startNode(
  args: string[],
  env: NodeJS.ProcessEnv,
  label: string,
  timeoutMs: number,
  echoStderr: boolean,
  readyText: string,
): Promise<ChildWorker> {
  const child = spawn(process.execPath, args, {
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
      if (output.length < 100_000) output += data.toString();
      if (output.includes(readyText)) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (data: Buffer) => {
      if (output.length < 100_000) output += data.toString();
      if (echoStderr) process.stderr.write(`[${label}] ${data.toString()}`);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code ?? signal}) before it was ready:\n${output}`));
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
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** CPU time (user + system) a process has used so far, in seconds; undefined without /proc. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** The pid of a direct child of this process whose command name is `name` (e.g. the Temporal dev server). */
export function childPid(name: string): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === process.pid && command === name) return Number(entry);
      } catch {
        // the process ended while we looked
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** CPU seconds spent during a phase by the worker, this process (driver and sandboxes) and the dev server. */
export class CpuMeter {
  readonly #start: {
    self: NodeJS.CpuUsage;
    server: number | undefined;
    worker: number | undefined;
    at: number;
  };

  constructor(
    private readonly workerPid: number | undefined,
    private readonly serverPid: number | undefined,
  ) {
    this.#start = {
      self: process.cpuUsage(),
      server: serverPid === undefined ? undefined : cpuSecondsOf(serverPid),
      worker: workerPid === undefined ? undefined : cpuSecondsOf(workerPid),
      at: Date.now(),
    };
  }

  read(): { wallSeconds: number; worker?: number; benchAndSandboxes: number; temporalServer?: number } {
    const self = process.cpuUsage(this.#start.self);
    const delta = (pid: number | undefined, start: number | undefined) => {
      const now = pid === undefined ? undefined : cpuSecondsOf(pid);
      return now === undefined || start === undefined ? undefined : now - start;
    };
    return {
      wallSeconds: (Date.now() - this.#start.at) / 1000,
      worker: delta(this.workerPid, this.#start.worker),
      benchAndSandboxes: (self.user + self.system) / 1e6,
      temporalServer: delta(this.serverPid, this.#start.server),
    };
  }
}
