/**
 * A sink refused or failed a message. `retryable`: it may work later (network, 429, 5xx), else a person
 * must fix the configuration (a 4xx: wrong URL, revoked webhook, refused sender). Never carries the
 * webhook URL or SMTP credentials.
 */
export class SinkError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SinkError';
  }
}
