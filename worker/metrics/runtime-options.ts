import { DefaultLogger, type RuntimeOptions } from '@temporalio/worker';
import type { MetricsSettings } from '../../config/metrics';
import { D365_HISTOGRAM_BUCKETS } from './d365-request-metrics';

/**
 * The SDK runtime of the worker process. With a bind address, the SDK serves its own metrics and the
 * product's (made with its metric meter) on one Prometheus endpoint, `/metrics`; durations in ms, counter
 * names as the SDK's documentation gives them (no `_total`).
 */
export function workerRuntimeOptions(metrics: MetricsSettings): RuntimeOptions {
  const logger = new DefaultLogger('WARN');
  if (metrics.bindAddress === undefined) return { logger };
  return {
    logger,
    telemetryOptions: {
      metrics: {
        prometheus: { bindAddress: metrics.bindAddress, histogramBucketOverrides: D365_HISTOGRAM_BUCKETS },
      },
    },
  };
}
