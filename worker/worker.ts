import { existsSync } from 'node:fs';
import type { ConfidentialClientApplication } from '@azure/msal-node';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { PROJECT_CHECKS } from '../activities/project-checks';
import type { Config } from '../config/config';
import { loadMappingProject } from '../mappings/project/loader';
import type { MappingProject } from '../mappings/project/merge';
import { createConnectors, type RequestObserver } from '../connectors';
import { connectorCatalog } from '../connectors/entities/catalog';
import { d365RequestMetrics } from './metrics/d365-request-metrics';
import type { Tracing } from '../connectors/tracing/sdk';
import { tracingWorkerOptions } from './tracing';
import { tracedBundlePath, tracedWorkflowBundleOptions, workflowBundleOptions } from './workflow-bundle';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  config: Config;
  /** The validated mapping project; loaded from `config.mappingProject` when omitted. */
  project?: MappingProject;
  /** A pre-built bundle (tests bundle once per file); by default the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Told of every Dynamics 365 request; by default counted on the SDK runtime's meter (a no-op without an exporter). */
  observer?: RequestObserver;
  /** The Entra ID app whose token cache the connectors share (the one the start-up token check warmed). */
  entra?: ConfidentialClientApplication;
  /** The process's OpenTelemetry SDK: given, the worker traces (and a bundle passed in must be the traced one). */
  tracing?: Tracing;
}

/**
 * A bundle passed in, else the one built with the product (WORKFLOW_BUNDLE, or the traced one beside it),
 * else bundled now with webpack.
 */
function workflowSource(
  config: Config,
  workflowBundle: WorkerOptions['workflowBundle'],
  traced: boolean,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions' | 'interceptors'> {
  if (workflowBundle) return { workflowBundle };
  const built = config.temporal.workflowBundle;
  if (built === undefined) {
    const options = traced ? tracedWorkflowBundleOptions : workflowBundleOptions;
    return {
      workflowsPath: options.workflowsPath,
      bundlerOptions: { preloadModules: options.preloadModules },
      interceptors: { workflowModules: options.workflowInterceptorModules },
    };
  }
  const codePath = traced ? tracedBundlePath(built) : built;
  if (!existsSync(codePath)) {
    const which = traced
      ? `The traced bundle of WORKFLOW_BUNDLE, ${codePath},`
      : `WORKFLOW_BUNDLE ${codePath}`;
    throw new Error(`${which} does not exist: build it with "npm run build" or unset it`);
  }
  return { workflowBundle: { codePath } };
}

/** The product's worker: every workflow and activity on one task queue. */
export async function createWorker({
  connection,
  namespace,
  config,
  project = loadMappingProject(config.mappingProject, connectorCatalog(), PROJECT_CHECKS),
  workflowBundle,
  observer = d365RequestMetrics(Runtime.instance().metricMeter),
  entra,
  tracing,
}: CreateWorkerOptions): Promise<Worker> {
  const connectors = createConnectors(config, { observer, entra });
  const source = workflowSource(config, workflowBundle, tracing !== undefined);
  const traced = tracing ? tracingWorkerOptions(tracing) : undefined;
  return Worker.create({
    connection,
    namespace,
    taskQueue: config.temporal.taskQueue,
    ...source,
    interceptors: { ...source.interceptors, ...traced?.interceptors },
    sinks: traced?.sinks,
    activities: createActivities(config, project, connectors),
    shutdownGraceTime: '10 seconds',
    // Most work order workflows wait days for an invoice. Keeping them all in the sticky cache (the
    // SDK's default is sized by heap, about 2,300 on a machine with 16 GB) makes memory grow with every
    // waiting workflow; an evicted one costs one replay of its history when its signal or re-check comes.
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
  });
}
