import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { D365Error, requestIdOf } from '../errors';
import { entitySetOf } from '../http/entity-set';

/** One HTTP request to a Dynamics 365 service, as the span describes it. */
export interface D365Request {
  service: 'dataverse' | 'finance';
  method: string;
  /** The request's URL; only its host and the entity set it names reach the span. */
  url: URL;
  serviceRoot: URL;
}

type Headers = Record<string, string | string[] | undefined>;

/** A failure's kind or code, never its message: a message may quote the service's answer. */
function errorType(error: unknown): string {
  const failure = error instanceof Error && error.cause instanceof D365Error ? error.cause : error;
  if (failure instanceof D365Error) return failure.kind;
  const code = (failure as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,40}$/.test(code) ? code : 'unknown';
}

/**
 * Runs `send` in a client span `D365 <method> <entity set>` with the service, method, entity set, host,
 * status and the service's request id as attributes (never headers, body, query or key values), and
 * hands it the W3C `traceparent` to send. Without an OpenTelemetry SDK installed this costs next to
 * nothing: the API's tracer is a no-op and nothing is propagated.
 */
export function traceD365Request<R extends { statusCode: number; headers: Headers }>(
  request: D365Request,
  send: (traceHeaders: Record<string, string>) => Promise<R>,
): Promise<R> {
  const entitySet = entitySetOf(request.url, request.serviceRoot);
  const tracer = trace.getTracer('fsfo-connectors');
  return tracer.startActiveSpan(
    `D365 ${request.method} ${entitySet}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'd365.service': request.service,
        'd365.entity_set': entitySet,
        'http.request.method': request.method,
        'server.address': request.url.hostname,
      },
    },
    async (span) => {
      try {
        const traceHeaders: Record<string, string> = {};
        propagation.inject(context.active(), traceHeaders);
        const response = await send(traceHeaders);
        span.setAttribute('http.response.status_code', response.statusCode);
        const requestId = requestIdOf(response.headers);
        if (requestId) span.setAttribute('d365.request_id', requestId);
        if (response.statusCode >= 400) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.setAttribute('error.type', String(response.statusCode));
        }
        return response;
      } catch (error) {
        span.setAttribute('error.type', errorType(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
