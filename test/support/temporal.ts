import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { workflowBundleOptions } from '../../worker/workflow-bundle';

let runtimeInstalled = false;

/**
 * A connection to the run's shared dev server (started by test/global-setup.ts), in `default` or in
 * one of the `TEST_NAMESPACES` it registered.
 */
export async function connectToTestServer(namespace?: string): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address) throw new Error('TEMPORAL_TEST_ADDRESS is not set: run the tests with jest (npm test)');
  return TestWorkflowEnvironment.createFromExistingServer({ address, namespace });
}

/** Bundling is slow: do it once per test file and pass the bundle to every worker. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    ...workflowBundleOptions,
    logger: new DefaultLogger('WARN'),
  });
}

/** A task queue of its own per test, so workers of different tests never steal each other's tasks. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}
