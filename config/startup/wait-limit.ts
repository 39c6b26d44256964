import { msToNumber } from '@temporalio/common';
import { z } from 'zod';

/**
 * How long a process waits at start for Temporal and the Dynamics 365 token endpoints (STARTUP_WAIT_LIMIT),
 * unless the variable says otherwise. The worker and the webhook are services: started together with
 * Temporal (compose, a host's boot), they wait out its start-up and short outages, and a supervisor restarts
 * them after the limit. A person typing an `fsfo` command is better told within half a minute that Temporal
 * does not answer; scripts that start it together with Temporal set a longer limit.
 */
export const DEFAULT_WAIT_LIMIT_MS = { service: 5 * 60_000, cli: 30_000 } as const;

const MAX_WAIT_LIMIT_MS = 24 * 3_600_000;
const message = 'must be a duration from 1 second to 24 hours, e.g. "5m", "30s" or "2 minutes"';

/** STARTUP_WAIT_LIMIT: a duration in Temporal's format ("5m", "90s", "2 minutes"), in milliseconds. */
export const waitLimitSchema = z.string().transform((value, ctx) => {
  let ms: number;
  try {
    ms = msToNumber(value as Parameters<typeof msToNumber>[0]);
  } catch {
    ms = Number.NaN;
  }
  if (!Number.isFinite(ms) || ms < 1000 || ms > MAX_WAIT_LIMIT_MS) {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  }
  return ms;
});
