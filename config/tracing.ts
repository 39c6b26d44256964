import { z } from 'zod';

/**
 * Where the process sends its OpenTelemetry traces (docs/OPERATING.md, "Traces"): an OTLP/HTTP collector
 * and the service name spans carry. Without an endpoint nothing is traced and no exporter runs.
 */
export interface TracingSettings {
  /** The collector's base URL, e.g. `http://jaeger:4318`; spans go to `<endpoint>/v1/traces`. */
  endpoint: string;
  /** `service.name` of the spans; each process has its own default (`fsfo-worker`, ...). */
  serviceName?: string;
}

/** The standard OpenTelemetry variables the product reads, each validated alone. */
export const TRACING_VARIABLES = {
  // A collector usually sits beside the worker on a private network: plain http is allowed anywhere.
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, abort: true, error: 'must be an http(s) URL such as http://jaeger:4318' })
    .refine((url) => {
      const { search, hash } = new URL(url);
      return search === '' && hash === '';
    }, 'must be a base URL without query or fragment: spans go to <endpoint>/v1/traces')
    .transform((url) => url.replace(/\/+$/, '')),
  OTEL_SERVICE_NAME: z
    .string()
    .regex(/^[\w.:/-]{1,100}$/, 'must be 1-100 letters, digits or . _ - : / (e.g. fsfo-worker-eu)'),
};

type Values = { [V in keyof typeof TRACING_VARIABLES]?: z.output<(typeof TRACING_VARIABLES)[V]> };

/** Tracing when a collector is configured; a service name alone changes nothing. */
export function tracingSettings(values: Values): TracingSettings | undefined {
  const endpoint = values.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint === undefined) return undefined;
  return { endpoint, serviceName: values.OTEL_SERVICE_NAME };
}
