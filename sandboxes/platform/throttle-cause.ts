/** Why a request is refused with 429; each service words it its own way. */
export type ThrottleCause =
  | { kind: 'requests'; maxRequests: number; windowSeconds: number }
  | { kind: 'concurrency'; limit: number }
  /** Injected by the fault settings: the service is under load, whatever the client does. */
  | { kind: 'load' };
