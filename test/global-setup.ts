import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDevServer } from '../scripts/dev-server';
import { TEST_NAMESPACES } from './support/namespaces';

declare global {
  var temporalDevServer: TestWorkflowEnvironment | undefined;
}

/**
 * One real Temporal dev server (in memory, random port) shared by every test file of the run, with the
 * namespaces of the files that need one of their own.
 */
export default async function globalSetup(): Promise<void> {
  const server = await startDevServer({ namespaces: Object.values(TEST_NAMESPACES) });
  globalThis.temporalDevServer = server;
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
}
