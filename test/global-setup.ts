import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDevServer } from '../scripts/dev-server';

declare global {
  var temporalDevServer: TestWorkflowEnvironment | undefined;
}

/** One real Temporal dev server (in memory, random port) shared by every test file of the run. */
export default async function globalSetup(): Promise<void> {
  const server = await startDevServer();
  globalThis.temporalDevServer = server;
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
}
