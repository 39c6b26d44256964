import type { MetricMeter } from '@temporalio/common';
import type { RequestObserver } from '../../connectors';

export const D365_REQUEST_METRICS = {
  requests: 'fsfo_d365_requests',
  duration: 'fsfo_d365_request_duration',
  retryAfter: 'fsfo_d365_retry_after',
} as const;

/** Bucket bounds in ms: a request takes milliseconds to seconds; a service asks to wait seconds to minutes. */
export const D365_HISTOGRAM_BUCKETS: Record<string, number[]> = {
  [D365_REQUEST_METRICS.duration]: [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 100_000],
  [D365_REQUEST_METRICS.retryAfter]: [1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000],
};

/**
 * Counts every request to Dynamics 365 and its token endpoint by service, entity set, method and status
 * (`none` when no answer came), with its duration and the `Retry-After` it was told. The labels come from
 * the connectors' bounded names: an entity set, never a key, a query or a document number.
 */
export function d365RequestMetrics(meter: MetricMeter): RequestObserver {
  const requests = meter.createCounter(
    D365_REQUEST_METRICS.requests,
    '',
    'Requests to Dynamics 365 and Entra ID by service, entity set, method and HTTP status',
  );
  const duration = meter.createHistogram(
    D365_REQUEST_METRICS.duration,
    'int',
    'ms',
    'Time from sending a request to Dynamics 365 or Entra ID to its last byte',
  );
  const retryAfter = meter.createHistogram(
    D365_REQUEST_METRICS.retryAfter,
    'int',
    'ms',
    'Retry-After a Dynamics 365 service or Entra ID answered with (429 and 503)',
  );
  return ({ service, entitySet, method, status, durationMs, retryAfterMs }) => {
    requests.add(1, {
      service,
      entity: entitySet,
      method,
      status: status === undefined ? 'none' : String(status),
    });
    duration.record(durationMs, { service, method });
    if (retryAfterMs !== undefined) retryAfter.record(retryAfterMs, { service, status: String(status) });
  };
}
