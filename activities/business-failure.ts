import { ApplicationFailure } from '@temporalio/common';
import { D365Error } from '../connectors/errors';
import { RecordMappingError } from '../mappings/engine';
import { toApplicationFailure } from './d365-failure';

/** A problem in the data a person must fix; the workflow parks in NeedsAttention with this message. */
export function businessFailure(message: string, type = 'BusinessDataError'): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}

/**
 * Runs an activity body and gives Temporal failures it can act on: connector errors keep their
 * retryable/non-retryable classification, mapping errors are data problems, anything else is left to
 * the retry policy (a bug fixed by a deploy can then succeed on a later attempt).
 */
export async function withFailureTranslation<T>(what: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ApplicationFailure) throw error;
    if (error instanceof D365Error) throw toApplicationFailure(error);
    if (error instanceof RecordMappingError)
      throw businessFailure(`${what}: ${error.message}`, 'MappingError');
    throw error;
  }
}
