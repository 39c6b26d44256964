import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { DataverseData, RowChange } from '../dataverse-data';
import { remoteExecutionContext } from './execution-context';
import { matchingWebhooks } from './matching-steps';
import { SYNCHRONOUS } from './registration-tables';

/** One asynchronous step's delivery as the control API reports it; never the endpoint's key. */
export interface WebhookDelivery {
  requestId: string;
  stepId: string;
  stepName: string;
  message: string;
  entity: string;
  entityId: string;
  /** The endpoint's URL without its query string (which may hold the key). */
  url: string;
  attempts: number;
  /** The endpoint's last HTTP status, the network error, or `pending`. */
  outcome: number | string;
  delivered: boolean;
}

interface QueuedDelivery {
  synchronous: boolean;
  record: WebhookDelivery;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookPublisherOptions {
  /** The environment's host, sent as `x-ms-dynamics-organization`. */
  organizationHost(): string;
  attempts?: number;
  retryDelayMs?: number;
}

/** The log keeps the latest deliveries only. */
const maxLogged = 1000;

/** A synchronous step whose endpoint failed: the request that triggered it fails and writes nothing. */
export interface SynchronousFailure {
  stepName: string;
  url: string;
  outcome: number | string;
}

/**
 * Runs the webhook steps. A change captured while a request runs is queued, and dropped if its change set
 * rolls back. Synchronous steps are sent before the request answers (`runSynchronous`, once each: a
 * failure fails the request); asynchronous ones once it has answered (`commit`), as Dataverse's
 * asynchronous service does after the transaction, a failed delivery tried again (3 attempts, 1 s apart by
 * default).
 */
export class WebhookPublisher {
  readonly deliveries: WebhookDelivery[] = [];
  private queued: QueuedDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly attempts: number;
  private readonly retryDelayMs: number;

  constructor(
    private readonly data: DataverseData,
    private readonly options: WebhookPublisherOptions,
  ) {
    this.attempts = options.attempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    data.observe((change) => this.capture(change));
  }

  /** A position in the queue, to roll back to if a change set fails. */
  mark(): number {
    return this.queued.length;
  }

  rollback(mark: number): void {
    this.queued.length = Math.min(this.queued.length, mark);
  }

  /** Whether an enabled synchronous step exists: only then does a request need a state to roll back to. */
  hasSynchronousSteps(): boolean {
    return this.data
      .rows('sdkmessageprocessingsteps')
      .some((step) => step.statecode === 0 && step.mode === SYNCHRONOUS);
  }

  /** Sends the synchronous steps' deliveries queued so far, in order, until one fails. */
  async runSynchronous(): Promise<SynchronousFailure | undefined> {
    const synchronous = this.queued.filter((delivery) => delivery.synchronous);
    if (synchronous.length === 0) return undefined;
    this.queued = this.queued.filter((delivery) => !delivery.synchronous);
    for (const delivery of synchronous) {
      this.log(delivery.record);
      await this.attempt(delivery);
      if (!delivery.record.delivered) {
        const { stepName, url, outcome } = delivery.record;
        return { stepName, url, outcome };
      }
    }
    return undefined;
  }

  /** The request failed: what it queued is never sent. */
  discard(): void {
    this.queued = [];
  }

  /** The request's writes are committed: send what they triggered, after the response is on its way. */
  commit(): void {
    if (this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    setImmediate(() => {
      for (const delivery of batch) {
        const sending = this.deliver(delivery).finally(() => this.inFlight.delete(sending));
        this.inFlight.add(sending);
      }
    });
  }

  /** Waits for deliveries in flight (used when closing). */
  async settle(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([...this.inFlight]);
  }

  private capture(change: RowChange): void {
    const targets = matchingWebhooks(this.data, change);
    if (targets.length === 0) return;
    const correlationId = randomUUID();
    for (const { step, url, headers, images } of targets) {
      const stepRegistration = {
        stepId: String(step.sdkmessageprocessingstepid),
        stepName: String(step.name ?? ''),
        stage: Number(step.stage),
        mode: Number(step.mode),
        images,
      };
      const context = remoteExecutionContext(change, stepRegistration, correlationId, Date.now());
      const requestId = String(context.RequestId);
      this.queued.push({
        synchronous: stepRegistration.mode === SYNCHRONOUS,
        record: {
          requestId,
          stepId: stepRegistration.stepId,
          stepName: stepRegistration.stepName,
          message: change.message,
          entity: change.table.logicalName,
          entityId: String(context.PrimaryEntityId),
          url: `${url.origin}${url.pathname}`,
          attempts: 0,
          outcome: 'pending',
          delivered: false,
        },
        url: url.toString(),
        headers: {
          ...headers,
          'content-type': 'application/json',
          'x-request-id': requestId,
          'x-ms-dynamics-organization': this.options.organizationHost(),
          'x-ms-dynamics-entity-name': change.table.logicalName,
          'x-ms-dynamics-request-name': change.message,
          'x-ms-correlation-request-id': correlationId,
        },
        body: JSON.stringify(context),
      });
    }
  }

  private async deliver(delivery: QueuedDelivery): Promise<void> {
    this.log(delivery.record);
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (await this.attempt(delivery)) return;
      if (attempt < this.attempts) await delay(this.retryDelayMs);
    }
  }

  private log(record: WebhookDelivery): void {
    this.deliveries.push(record);
    if (this.deliveries.length > maxLogged) this.deliveries.shift();
  }

  /** One POST; records its outcome and says whether the endpoint accepted it. */
  private async attempt({ record, url, headers, body }: QueuedDelivery): Promise<boolean> {
    record.attempts += 1;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      record.outcome = response.status;
      record.delivered = response.ok;
    } catch (error) {
      record.outcome = error instanceof Error ? error.message : String(error);
    }
    return record.delivered;
  }
}
