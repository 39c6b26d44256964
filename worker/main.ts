import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { PROJECT_CHECKS } from '../activities/project-checks';
import { loadConfigOrExit } from '../config/config';
import { temporalConnection } from '../config/temporal';
import { loadMappingProjectOrExit } from '../mappings/project/load-or-exit';
import { createWorker } from './worker';
import { limitWorkflowThreadHeap } from './workflow-heap';
import { memoryBoundsReport } from './memory-bounds';
import { connectorCatalog } from '../connectors/entities/catalog';
import { startConfiguredTracing } from '../connectors/tracing/sdk';

/** Worker process entry point; SIGINT/SIGTERM drain in-flight tasks and stop it. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const project = loadMappingProjectOrExit(config.mappingProject, connectorCatalog(), PROJECT_CHECKS);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { connectionOptions, namespace } = temporalConnection(config);
  const connection = await NativeConnection.connect(connectionOptions);
  limitWorkflowThreadHeap(config.worker.workflowHeapMb);
  const tracing = startConfiguredTracing(config.tracing, 'fsfo-worker');
  try {
    const worker = await createWorker({ connection, namespace, config, project, tracing });
    console.log(
      `Worker polling task queue "${config.temporal.taskQueue}" on ${connectionOptions.address} (namespace ${namespace})`,
    );
    const memory = memoryBoundsReport(config.worker);
    console.log(memory.line);
    if (memory.warning) console.warn(memory.warning);
    await worker.run();
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
