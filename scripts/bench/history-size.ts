import { temporal } from '@temporalio/proto';
import type { History } from './history-chain';

/**
 * A workflow's history size in bytes: each run's history encoded as the `History` protobuf message
 * (what `GetWorkflowExecutionHistory` sends and the server stores, payloads included), summed over the
 * runs.
 */
export function historyBytes(chain: readonly History[]): number {
  return chain.reduce(
    (sum, history) => sum + temporal.api.history.v1.History.encode(history).finish().byteLength,
    0,
  );
}
