import type { AttemptOutcome } from './wait-for-service';

type Failure = Exclude<AttemptOutcome<never>, { ready: never }>;

/** gRPC status codes the server answers with. */
const NOT_FOUND = 5;
const PERMISSION_DENIED = 7;
const UNAUTHENTICATED = 16;

const TLS_SETTINGS = 'TEMPORAL_TLS, the TEMPORAL_TLS_* certificate settings and TEMPORAL_API_KEY';

/** The gRPC status of an error or of one of its causes (the client wraps the server's answer). */
function grpcStatus(err: unknown): { code: number; details: string } | undefined {
  for (let cause = err; cause instanceof Error; cause = cause.cause) {
    const { code, details } = cause as Error & { code?: unknown; details?: unknown };
    if (typeof code === 'number') {
      return { code, details: typeof details === 'string' && details ? details : cause.message };
    }
  }
  return undefined;
}

const firstLine = (text: string) => text.split('\n')[0]!.slice(0, 300);

/**
 * What a failed connection to Temporal (the client's or the worker's) means for a process that waits for it:
 * a missing namespace, refused credentials and TLS failures are refused at once, anything else is retried.
 * Undefined when the error does not say why (the client's "Failed to connect before the deadline").
 */
export function temporalFailure(err: unknown, namespace: string): Failure | undefined {
  const status = grpcStatus(err);
  if (status?.code === NOT_FOUND) {
    return {
      refused:
        `namespace ${namespace} does not exist (${status.details}): create it ` +
        `(temporal operator namespace create --namespace ${namespace}) or set TEMPORAL_NAMESPACE`,
    };
  }
  if (status?.code === UNAUTHENTICATED || status?.code === PERMISSION_DENIED) {
    return { refused: `the server refused our credentials (${status.details}): check ${TLS_SETTINGS}` };
  }
  if (status) return { retry: `unavailable (${firstLine(status.details)})` };
  const message = err instanceof Error ? err.message : String(err);
  if (/Failed to connect before the deadline/.test(message)) return undefined;
  return transportFailure(message);
}

/** The worker's connection reports the transport's own error (Rust's), e.g. `tcp connect error ... Connection refused`. */
function transportFailure(message: string): Failure {
  if (/authentication credentials|unauthenticated|permission denied/i.test(message)) {
    return { refused: `the server refused our credentials (${firstLine(message)}): check ${TLS_SETTINGS}` };
  }
  if (/certificate|InvalidContentType|CorruptMessage|fatal alert|handshake|\btls\b/i.test(message)) {
    return { refused: `the TLS handshake failed (${firstLine(message)}): check ${TLS_SETTINGS}` };
  }
  if (/connection refused/i.test(message)) return { retry: 'connection refused' };
  if (/dns error|failed to lookup|name or service not known|nodename nor servname/i.test(message)) {
    return { retry: 'host not found (DNS)' };
  }
  if (/timed out|timeout|deadline/i.test(message)) return { retry: 'no answer (timed out)' };
  if (/unreachable/i.test(message)) return { retry: 'host unreachable' };
  return { retry: firstLine(message) };
}
