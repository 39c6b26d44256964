/** One HTTP request to Dynamics 365 or its token endpoint, as the worker's metrics count it. */
export interface ObservedRequest {
  service: 'dataverse' | 'finance' | 'token';
  /** The entity set (or `$batch`, a function name, `token`): never a key or a query. */
  entitySet: string;
  method: string;
  /** The HTTP status; absent when no answer came (network failure, timeout). */
  status?: number;
  durationMs: number;
  /** The `Retry-After` the service sent, in milliseconds. */
  retryAfterMs?: number;
}

/** Told of every request as it completes; it must not throw. */
export type RequestObserver = (request: ObservedRequest) => void;
