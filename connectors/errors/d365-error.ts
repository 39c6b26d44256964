/** The services a connector talks to. `entra` is the token endpoint. */
export type D365Service = 'dataverse' | 'finance' | 'entra';

/**
 * What went wrong, as far as a caller can act on it. The first five are retryable: the same
 * request may succeed later. The rest need a person or a code change.
 */
export type D365ErrorKind =
  | 'throttled'
  | 'unavailable'
  | 'server'
  | 'network'
  | 'timeout'
  | 'bad-request'
  | 'business-rule'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'authentication'
  | 'forbidden'
  | 'invalid-response';

const RETRYABLE_KINDS: ReadonlySet<D365ErrorKind> = new Set([
  'throttled',
  'unavailable',
  'server',
  'network',
  'timeout',
]);

export interface D365ErrorDetails {
  service: D365Service;
  kind: D365ErrorKind;
  /** What the connector was doing, e.g. `PATCH msdyn_workorders(...)`. */
  operation: string;
  /** The service's own message, as a person should read it. */
  serviceMessage: string;
  status?: number;
  /** The service's error code, e.g. `0x80060882` (Dataverse) or `invalid_client` (Entra ID). */
  code?: string;
  /** The service's request id, for a support ticket. */
  requestId?: string;
  /** How long the service asked us to wait (`Retry-After`), in milliseconds. */
  retryAfterMs?: number;
}

/**
 * The one error type the connectors throw. It carries no request headers, tokens or secrets, so it
 * is safe to log and to hand to Temporal.
 */
export class D365Error extends Error {
  readonly service: D365Service;
  readonly kind: D365ErrorKind;
  readonly operation: string;
  readonly serviceMessage: string;
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly retryable: boolean;

  constructor(details: D365ErrorDetails) {
    super(describe(details));
    this.name = 'D365Error';
    this.service = details.service;
    this.kind = details.kind;
    this.operation = details.operation;
    this.serviceMessage = details.serviceMessage;
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.retryable = RETRYABLE_KINDS.has(details.kind);
  }

  toJSON(): D365ErrorDetails & { message: string; retryable: boolean } {
    return {
      message: this.message,
      service: this.service,
      kind: this.kind,
      operation: this.operation,
      serviceMessage: this.serviceMessage,
      status: this.status,
      code: this.code,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
      retryable: this.retryable,
    };
  }
}

const SERVICE_NAMES: Record<D365Service, string> = {
  dataverse: 'Dataverse',
  finance: 'Finance and Operations',
  entra: 'Microsoft Entra ID',
};

function describe(d: D365ErrorDetails): string {
  const facts = [
    d.status !== undefined ? `HTTP ${d.status}` : undefined,
    d.code ? `code ${d.code}` : undefined,
    d.requestId ? `request id ${d.requestId}` : undefined,
    d.retryAfterMs !== undefined ? `retry after ${d.retryAfterMs / 1000}s` : undefined,
  ].filter((fact) => fact !== undefined);
  const suffix = facts.length > 0 ? ` (${facts.join(', ')})` : '';
  return `${SERVICE_NAMES[d.service]} ${d.operation}: ${d.serviceMessage}${suffix}`;
}
