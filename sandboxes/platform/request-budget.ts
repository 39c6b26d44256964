import { z } from 'zod';

export const requestBudgetSchema = z
  .object({
    /** Requests one client may make per window before it gets 429. */
    maxRequests: z.number().int().min(1),
    windowSeconds: z.number().int().min(1),
  })
  .strict();

export type RequestBudgetSettings = z.infer<typeof requestBudgetSchema>;

/** A sliding-window request budget per client, like the services' service-protection limits. */
export class RequestBudget {
  private readonly history = new Map<string, number[]>();
  /**
   * The Retry-After last given to each client refused in a row: a client that keeps sending while
   * throttled is told to wait longer each time, a second more than the last at least.
   */
  private readonly lastRetryAfter = new Map<string, number>();

  constructor(public settings: RequestBudgetSettings | undefined) {}

  /** Counts a request; returns the seconds to wait when the client is over budget. */
  take(
    client: string,
    now = Date.now(),
  ): { retryAfterSeconds: number; settings: RequestBudgetSettings } | undefined {
    const settings = this.settings;
    if (!settings) return undefined;
    const windowMs = settings.windowSeconds * 1000;
    const recent = (this.history.get(client) ?? []).filter((time) => time > now - windowMs);
    this.history.set(client, recent);
    if (recent.length >= settings.maxRequests) {
      const untilFree = Math.ceil((recent[0] + windowMs - now) / 1000);
      const last = this.lastRetryAfter.get(client);
      const retryAfterSeconds = Math.max(1, untilFree, last === undefined ? 0 : last + 1);
      this.lastRetryAfter.set(client, retryAfterSeconds);
      return { retryAfterSeconds, settings };
    }
    this.lastRetryAfter.delete(client);
    recent.push(now);
    return undefined;
  }

  configure(settings: RequestBudgetSettings | undefined): void {
    this.settings = settings;
    this.history.clear();
    this.lastRetryAfter.clear();
  }
}
