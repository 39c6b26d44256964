import { setTimeout as delay } from 'node:timers/promises';

/** What one attempt to reach a service found. */
export type AttemptOutcome<T> =
  | { ready: T }
  /** Not there yet (refused, unreachable, throttled, 5xx): waiting may fix it. */
  | { retry: string }
  /** Waiting cannot fix it (TLS, credentials, a missing namespace): a person must; the process exits with 2. */
  | { refused: string };

/** A service a process needs before it can start, and how to try it once. */
export interface AwaitedService<T> {
  /** Who is waited for, with its address, e.g. "Temporal at temporal:7233 (namespace default)". */
  name: string;
  /** What to check when the limit passes, e.g. "that the server runs and TEMPORAL_ADDRESS". */
  check: string;
  /** One attempt, given at most `timeoutMs`. */
  attempt: (timeoutMs: number) => Promise<AttemptOutcome<T>>;
}

/** Why a process cannot start; the entry point prints the message (one line) and exits with `exitCode`. */
export class StartupFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'StartupFailure';
  }
}

export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: WaitClock = { now: () => Date.now(), sleep: (ms) => delay(ms) };

export interface WaitOptions {
  limitMs: number;
  /** Where the waiting lines go (the processes' stderr). */
  log: (line: string) => void;
  clock?: WaitClock;
}

const FIRST_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 30_000;
/** An attempt that hangs (a host that drops packets) is given up after this long. */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** Once the delay is at its cap, a line every this many attempts (5 minutes at 30 s). */
const ATTEMPTS_PER_LINE_AT_CAP = 10;
/** The first failure whose pause is the cap (the 6th: 1, 2, 4, 8, 16, then 30 s). */
const FIRST_FAILURE_AT_CAP = Math.ceil(Math.log2(MAX_DELAY_MS / FIRST_DELAY_MS)) + 1;

/** The pause after the `failures`-th failed attempt: 1 s, doubling, at most 30 s. */
export function backoffDelayMs(failures: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, failures - 1), MAX_DELAY_MS);
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "5m", "30s", "1m 30s", "1h 5m": how the lines say a duration. */
export function formatDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const parts = [
    [Math.floor(seconds / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ] as const;
  const shown = parts.filter(([value]) => value > 0).map(([value, unit]) => `${value}${unit}`);
  return shown.length > 0 ? shown.join(' ') : '0s';
}

/**
 * Tries `service` until it is ready, with backoff, for at most `limitMs`. It prints a line when the wait
 * starts, when the reason changes, when the delay reaches its cap and every few minutes after, and one when
 * the service answers after a wait; not one per attempt. Throws a `StartupFailure`: exit code 2 at once
 * when waiting cannot help, 1 at the limit.
 */
export async function waitForService<T>(
  service: AwaitedService<T>,
  { limitMs, log, clock = systemClock }: WaitOptions,
): Promise<T> {
  const started = clock.now();
  const deadline = started + limitMs;
  let lastReason: string | undefined;
  let failures = 0;
  for (;;) {
    const outcome = await service.attempt(Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, deadline - clock.now())));
    if ('ready' in outcome) {
      if (failures > 0) log(`Reached ${service.name} after ${formatDuration(clock.now() - started)}`);
      return outcome.ready;
    }
    if ('refused' in outcome) throw new StartupFailure(sentence(`${service.name}: ${outcome.refused}`), 2);
    failures++;
    const left = deadline - clock.now();
    if (left <= 0) {
      throw new StartupFailure(
        sentence(
          `${service.name} did not answer within ${formatDuration(limitMs)} (${outcome.retry}): check ` +
            `${service.check}; STARTUP_WAIT_LIMIT sets how long to wait`,
        ),
        1,
      );
    }
    const pause = backoffDelayMs(failures);
    if (failures === 1) {
      log(`Waiting for ${service.name}: ${outcome.retry}; retrying for up to ${formatDuration(limitMs)}`);
    } else if (outcome.retry !== lastReason) {
      log(`Still waiting for ${service.name}: ${outcome.retry}; ${formatDuration(left)} left`);
    } else if (
      failures >= FIRST_FAILURE_AT_CAP &&
      (failures - FIRST_FAILURE_AT_CAP) % ATTEMPTS_PER_LINE_AT_CAP === 0
    ) {
      log(
        `Still waiting for ${service.name}: ${outcome.retry}; retrying every ${formatDuration(MAX_DELAY_MS)}, ` +
          `${formatDuration(left)} left`,
      );
    }
    lastReason = outcome.retry;
    await clock.sleep(Math.min(pause, left));
  }
}

/**
 * Waits for `main` (whose value the caller needs) and the services `alongside` it at once, so the whole wait
 * is the longest one's; the first that cannot be reached ends it.
 */
export async function waitForServices<T>(
  main: AwaitedService<T>,
  alongside: readonly AwaitedService<unknown>[],
  options: WaitOptions,
): Promise<T> {
  const [value] = await Promise.all([
    waitForService(main, options),
    ...alongside.map((service) => waitForService(service, options)),
  ]);
  return value;
}
