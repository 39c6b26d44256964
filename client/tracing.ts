import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { TracingSettings } from '../config/tracing';

/**
 * With tracing configured, each start, signal, update and query the client sends is a span whose
 * context travels in the workflow's headers, so the workflow's and its activities' spans join the
 * caller's trace. Without it the client sends no trace header at all.
 */
export function clientInterceptors(tracing: TracingSettings | undefined): ClientInterceptors | undefined {
  return tracing ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}
