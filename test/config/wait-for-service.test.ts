import {
  type AttemptOutcome,
  backoffDelayMs,
  StartupFailure,
  type WaitClock,
  waitForService,
} from '../../config/startup/wait-for-service';

/** A clock that moves only when the loop sleeps, recording each pause. */
function fakeClock(): WaitClock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

/** A service whose attempts answer in turn from `outcomes` (the last one repeats), each taking `attemptMs`. */
function service(outcomes: AttemptOutcome<string>[], clock: { sleep: (ms: number) => Promise<void> }) {
  const timeouts: number[] = [];
  let index = 0;
  return {
    timeouts,
    awaited: {
      name: 'Temporal at temporal:7233 (namespace default)',
      check: 'that the Temporal server runs and TEMPORAL_ADDRESS',
      attempt: async (timeoutMs: number) => {
        timeouts.push(timeoutMs);
        await clock.sleep(0);
        return outcomes[Math.min(index++, outcomes.length - 1)]!;
      },
    },
  };
}

const refused = { retry: 'connection refused' };

test('the pause doubles from 1 s to a cap of 30 s', () => {
  expect([1, 2, 3, 4, 5, 6, 7, 20].map(backoffDelayMs)).toEqual([
    1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
  ]);
});

test('a service that answers after a wait: one line when the wait starts, one when it answers', async () => {
  const clock = fakeClock();
  const lines: string[] = [];
  const { awaited } = service([refused, refused, refused, { ready: 'connection' }], clock);

  await expect(waitForService(awaited, { limitMs: 300_000, log: (l) => lines.push(l), clock })).resolves.toBe(
    'connection',
  );

  expect(clock.sleeps.filter((ms) => ms > 0)).toEqual([1_000, 2_000, 4_000]);
  expect(lines).toEqual([
    'Waiting for Temporal at temporal:7233 (namespace default): connection refused; retrying for up to 5m',
    'Reached Temporal at temporal:7233 (namespace default) after 7s',
  ]);
});

test('a service that answers at once prints nothing', async () => {
  const clock = fakeClock();
  const lines: string[] = [];
  const { awaited } = service([{ ready: 'connection' }], clock);
  await waitForService(awaited, { limitMs: 300_000, log: (l) => lines.push(l), clock });
  expect(lines).toEqual([]);
});

test('at the limit: one line naming the service, the reason and what to check, exit code 1', async () => {
  const clock = fakeClock();
  const lines: string[] = [];
  const { awaited, timeouts } = service([refused], clock);

  const failure = await waitForService(awaited, { limitMs: 300_000, log: (l) => lines.push(l), clock }).catch(
    (err: unknown) => err,
  );

  expect(failure).toBeInstanceOf(StartupFailure);
  expect(failure).toMatchObject({
    exitCode: 1,
    message:
      'Temporal at temporal:7233 (namespace default) did not answer within 5m (connection refused): check ' +
      'that the Temporal server runs and TEMPORAL_ADDRESS; STARTUP_WAIT_LIMIT sets how long to wait',
  });
  const pauses = clock.sleeps.filter((ms) => ms > 0);
  expect(pauses.slice(0, 7)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  expect(pauses.reduce((sum, ms) => sum + ms, 0)).toBe(300_000);
  // No attempt is given longer than the time left.
  expect(timeouts.at(-1)).toBeLessThanOrEqual(30_000);
  // 5 minutes of waiting: the first line and the one when the pause reaches its cap, not one per attempt.
  expect(lines).toEqual([
    'Waiting for Temporal at temporal:7233 (namespace default): connection refused; retrying for up to 5m',
    'Still waiting for Temporal at temporal:7233 (namespace default): connection refused; retrying every 30s, 4m 29s left',
  ]);
});

test('a long wait prints a line every 5 minutes once the pause is at its cap, and when the reason changes', async () => {
  const clock = fakeClock();
  const lines: string[] = [];
  const outcomes = [...Array<AttemptOutcome<string>>(20).fill(refused), { retry: 'host not found (DNS)' }];
  const { awaited } = service(outcomes, clock);

  await expect(
    waitForService(awaited, { limitMs: 3_600_000, log: (l) => lines.push(l), clock }),
  ).rejects.toThrow('did not answer within 1h (host not found (DNS))');

  expect(lines.slice(0, 5)).toEqual([
    'Waiting for Temporal at temporal:7233 (namespace default): connection refused; retrying for up to 1h',
    'Still waiting for Temporal at temporal:7233 (namespace default): connection refused; retrying every 30s, 59m 29s left',
    'Still waiting for Temporal at temporal:7233 (namespace default): connection refused; retrying every 30s, 54m 29s left',
    'Still waiting for Temporal at temporal:7233 (namespace default): host not found (DNS); 51m 59s left',
    'Still waiting for Temporal at temporal:7233 (namespace default): host not found (DNS); retrying every 30s, 49m 29s left',
  ]);
  expect(lines).toHaveLength(14);
});

test('what waiting cannot fix fails at once with exit code 2', async () => {
  const clock = fakeClock();
  const lines: string[] = [];
  const { awaited } = service([{ refused: 'namespace fsfo does not exist' }], clock);

  await expect(
    waitForService(awaited, { limitMs: 300_000, log: (l) => lines.push(l), clock }),
  ).rejects.toMatchObject({
    exitCode: 2,
    message: 'Temporal at temporal:7233 (namespace default): namespace fsfo does not exist',
  });
  expect(clock.sleeps.filter((ms) => ms > 0)).toEqual([]);
  expect(lines).toEqual([]);
});
