import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from '../connectors/tracing/sdk';

/**
 * What a tracing worker adds to its options: a span around each activity (child of the workflow's span
 * that scheduled it, parent of the activity's Dynamics 365 requests), trace ids in the activities' log
 * attributes, the trace context on what activities start or signal through the worker's client, and
 * the sink the workflows' spans leave the workflow sandbox through. The workflows' own interceptors are
 * in the bundle (`tracedWorkflowBundleOptions`).
 */
export function tracingWorkerOptions(tracing: Tracing): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  return {
    interceptors: {
      client: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
