import { ApplicationFailure } from '@temporalio/common';
import { D365Error, type D365ErrorKind } from '../connectors/errors';

/** Failure types activity retry policies and workflows can name (`nonRetryableErrorTypes`, `failure.type`). */
export const D365FailureType = {
  throttled: 'D365Throttled',
  unavailable: 'D365Unavailable',
  server: 'D365ServerError',
  network: 'D365NetworkError',
  timeout: 'D365Timeout',
  'bad-request': 'D365BadRequest',
  'business-rule': 'D365BusinessRule',
  'not-found': 'D365NotFound',
  conflict: 'D365Conflict',
  'precondition-failed': 'D365PreconditionFailed',
  authentication: 'D365Authentication',
  forbidden: 'D365Forbidden',
  'invalid-response': 'D365InvalidResponse',
} as const satisfies Record<D365ErrorKind, string>;

/**
 * A connector error as a Temporal failure: retryable kinds stay retryable and carry the service's
 * `Retry-After` as `nextRetryDelay`; the others are non-retryable under a named type. The details
 * hold only what the error holds (no headers, tokens or secrets).
 */
export function toApplicationFailure(error: D365Error): ApplicationFailure {
  return ApplicationFailure.create({
    message: error.message,
    type: D365FailureType[error.kind],
    nonRetryable: !error.retryable,
    nextRetryDelay: error.retryable ? error.retryAfterMs : undefined,
    details: [
      {
        service: error.service,
        status: error.status,
        code: error.code,
        requestId: error.requestId,
        operation: error.operation,
      },
    ],
  });
}

/** For an activity's catch block: connector errors become failures, anything else is rethrown as is. */
export function rethrowAsD365Failure(error: unknown): never {
  if (error instanceof D365Error) throw toApplicationFailure(error);
  throw error;
}
