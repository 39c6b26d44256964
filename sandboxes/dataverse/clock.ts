/** A time as Dataverse stores datetimes: UTC, whole seconds (`2026-03-01T09:15:42Z`). */
export function toSecond(time: number): string {
  return new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The time Dataverse stamps on the datetimes it sets itself (`createdon`, `modifiedon`, a journal's
 * transaction date): to the second, as the real service does, so two writes in one second carry the same
 * `modifiedon`. The control API can pin it (`PUT /_sandbox/clock`), so a test writes rows in one second
 * whatever the machine's load.
 */
export class DataverseClock {
  private pinned: number | undefined;

  now(): string {
    return toSecond(this.pinned ?? Date.now());
  }

  /** Stamps `time` from now on; `undefined` follows the real clock again. */
  pin(time: number | undefined): void {
    this.pinned = time;
  }

  get pinnedAt(): string | null {
    return this.pinned === undefined ? null : toSecond(this.pinned);
  }
}
