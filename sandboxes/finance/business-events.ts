import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

export interface DeliveryRecord {
  eventId: string;
  url: string;
  attempts: number;
  /** The endpoint's last HTTP status, or the network error. */
  outcome: number | string;
  delivered: boolean;
}

const attempts = 3;
const retryDelayMs = 1000;

/** Sends business events as HTTP POSTs (3 attempts, 1 s apart, like F&O's default retry) and keeps a log. */
export class BusinessEventPublisher {
  readonly deliveries: DeliveryRecord[] = [];
  private pending = new Set<Promise<void>>();

  constructor(public url: string | undefined) {}

  publish(event: Record<string, unknown> & { EventId: string }): void {
    const url = this.url;
    if (!url) return;
    const delivery = this.deliver(url, event).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Waits for deliveries in flight (used when closing). */
  async settle(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async deliver(url: string, event: Record<string, unknown> & { EventId: string }): Promise<void> {
    const record: DeliveryRecord = {
      eventId: event.EventId,
      url,
      attempts: 0,
      outcome: 'pending',
      delivered: false,
    };
    this.deliveries.push(record);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      record.attempts = attempt;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'x-ms-request-id': randomUUID() },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(10_000),
        });
        record.outcome = response.status;
        if (response.ok) {
          record.delivered = true;
          return;
        }
      } catch (error) {
        record.outcome = error instanceof Error ? error.message : String(error);
      }
      if (attempt < attempts) await delay(retryDelayMs);
    }
  }
}

/** F&O's `/Date(<ms>)/` serialization of UtcDateTime values in business events. */
export function eventDate(time: number): string {
  return `/Date(${time})/`;
}
