import { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { registerSearchAttributes } from '../../client/search-attributes';
import { connectToTestServer } from '../support/temporal';

/** gRPC status code of a namespace registered before (e.g. by an earlier run in watch mode). */
const ALREADY_EXISTS = 6;

/**
 * A namespace of its own on the run's dev server, with the product's search attributes, for a test file
 * that creates one of the product's schedules under its fixed ID (e.g. `sync-sales-invoices`): Jest runs
 * files in parallel, and another file creating, running and deleting the same schedule in `default` would
 * run or delete this file's. Registered when first asked for.
 */
export async function connectToOwnNamespace(namespace: string): Promise<TestWorkflowEnvironment> {
  const shared = await connectToTestServer(); // installs the SDK runtime
  try {
    await shared.connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
  } catch (err) {
    if ((err as { code?: number }).code !== ALREADY_EXISTS) throw err;
  }
  await registerSearchAttributes(new Client({ connection: shared.connection, namespace }));
  await shared.teardown();
  return TestWorkflowEnvironment.createFromExistingServer({
    address: process.env.TEMPORAL_TEST_ADDRESS,
    namespace,
  });
}
