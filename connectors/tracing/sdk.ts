import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TracingSettings } from '../../config/tracing';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

/** The OpenTelemetry SDK of one process, installed as the global tracer provider. */
export interface Tracing {
  resource: Resource;
  /** Where every span of the process goes, the workflows' (through the worker's sink) included. */
  spanProcessor: SpanProcessor;
  /** Sends the spans still buffered and stops; call once, before the process exits. */
  shutdown(): Promise<void>;
}

/**
 * Installs the SDK for the whole process: a tracer provider with `spanProcessor`, the W3C trace
 * context propagator (the SDK's default) and a context manager that follows `await`.
 */
export function startTracing(options: { serviceName: string; spanProcessor: SpanProcessor }): Tracing {
  const resource = new Resource({ 'service.name': options.serviceName });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [options.spanProcessor] });
  const contextManager = new AsyncLocalStorageContextManager();
  provider.register({ contextManager });
  return {
    resource,
    spanProcessor: options.spanProcessor,
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * Tracing as configured (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_SERVICE_NAME`): spans in batches to the
 * collector over OTLP/HTTP; nothing installed when no endpoint is set.
 */
export function startConfiguredTracing(
  settings: TracingSettings | undefined,
  defaultServiceName: string,
): Tracing | undefined {
  if (settings === undefined) return undefined;
  const exporter = new OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces` });
  return startTracing({
    serviceName: settings.serviceName ?? defaultServiceName,
    spanProcessor: new BatchSpanProcessor(exporter),
  });
}
