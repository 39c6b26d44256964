/** Counts requests in flight per client; refuses one over the limit at once, as the services do. */
export class ConcurrencyLimit {
  private readonly inFlight = new Map<string, number>();

  constructor(public limit: number | undefined) {}

  /** Enters a request; returns `false` (and counts nothing) when the client is at its limit. */
  enter(client: string): boolean {
    const current = this.inFlight.get(client) ?? 0;
    if (this.limit !== undefined && current >= this.limit) return false;
    this.inFlight.set(client, current + 1);
    return true;
  }

  leave(client: string): void {
    const current = this.inFlight.get(client) ?? 1;
    if (current <= 1) this.inFlight.delete(client);
    else this.inFlight.set(client, current - 1);
  }
}
