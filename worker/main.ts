import { Client } from '@temporalio/client';
import { Runtime } from '@temporalio/worker';
import { PROJECT_CHECKS } from '../activities/project-checks';
import { loadConfigOrExit } from '../config/config';
import { temporalConnection } from '../config/temporal';
import { loadMappingProjectOrExit } from '../mappings/project/load-or-exit';
import { connectWhenReadyOrExit } from './startup-wait';
import { createWorker } from './worker';
import { limitWorkflowThreadHeap } from './workflow-heap';
import { memoryBoundsReport } from './memory-bounds';
import { connectorCatalog } from '../connectors/entities/catalog';
import { workerRuntimeOptions } from './metrics/runtime-options';
import { d365RequestMetrics } from './metrics/d365-request-metrics';
import { createConfidentialClient } from '../connectors/auth/msal-token-provider';
import { startWaitingWorkflowsGauge } from './metrics/waiting-workflows-gauge';
import { startConfiguredTracing } from '../connectors/tracing/sdk';

/** Worker process entry point; SIGINT/SIGTERM drain in-flight tasks and stop it. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const project = loadMappingProjectOrExit(config.mappingProject, connectorCatalog(), PROJECT_CHECKS);
  Runtime.install(workerRuntimeOptions(config.metrics));
  const { connectionOptions, namespace } = temporalConnection(config);
  const entra = createConfidentialClient(config.azure);
  const observer = d365RequestMetrics(Runtime.instance().metricMeter);
  const connection = await connectWhenReadyOrExit(config, { client: entra, observer });
  limitWorkflowThreadHeap(config.worker.workflowHeapMb);
  const tracing = startConfiguredTracing(config.tracing, 'fsfo-worker');
  try {
    const worker = await createWorker({ connection, namespace, config, project, entra, observer, tracing });
    console.log(
      `Worker polling task queue "${config.temporal.taskQueue}" on ${connectionOptions.address} (namespace ${namespace})`,
    );
    const memory = memoryBoundsReport(config.worker);
    console.log(memory.line);
    if (memory.warning) console.warn(memory.warning);
    const { bindAddress } = config.metrics;
    if (bindAddress) console.log(`Prometheus metrics at http://${bindAddress}/metrics`);
    const waiting = bindAddress
      ? startWaitingWorkflowsGauge(
          new Client({ connection, namespace }),
          config.temporal.taskQueue,
          Runtime.instance().metricMeter,
        )
      : undefined;
    try {
      await worker.run();
    } finally {
      await waiting?.stop();
    }
  } finally {
    // SIGTERM drains the worker and run() returns: the spans still buffered go out before the process ends.
    await tracing?.shutdown();
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
