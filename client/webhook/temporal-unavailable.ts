import { isGrpcServiceError } from '@temporalio/client';

/** gRPC status UNAVAILABLE: the server refused the connection, is restarting or unreachable. */
const GRPC_UNAVAILABLE = 14;

/** Whether the error, or one it wraps (the client's ServiceError), says the Temporal server is unavailable. */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let current = err; current instanceof Error; current = current.cause) {
    if (isGrpcServiceError(current) && current.code === GRPC_UNAVAILABLE) return true;
  }
  return false;
}
