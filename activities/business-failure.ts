import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { D365Error } from '../connectors/errors';
import { RecordMappingError } from '../mappings/engine';
import { toApplicationFailure } from './d365-failure';

/** A problem in the data a person must fix; the workflow parks in NeedsAttention with this message. */
export function businessFailure(message: string, type = 'BusinessDataError'): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}

/** How often a running activity tells Temporal its worker is alive (the workflows' heartbeat timeout is 20 s). */
const HEARTBEAT_EVERY_MS = 5_000;

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // called outside an activity, e.g. by a test or a script
  }
}

/**
 * Runs an activity body and gives Temporal failures it can act on: connector errors keep their
 * retryable/non-retryable classification, mapping errors are data problems, anything else is left to
 * the retry policy (a bug fixed by a deploy can then succeed on a later attempt). While it runs it
 * heartbeats, so an attempt on a worker that died is retried elsewhere within seconds, not after the
 * start-to-close timeout.
 */
export async function withFailureTranslation<T>(what: string, body: () => Promise<T>): Promise<T> {
  const context = activityContext();
  const heartbeats = context ? setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS) : undefined;
  try {
    return await body();
  } catch (error) {
    if (error instanceof ApplicationFailure) throw error;
    if (error instanceof D365Error) throw toApplicationFailure(error);
    if (error instanceof RecordMappingError)
      throw businessFailure(`${what}: ${error.message}`, 'MappingError');
    throw error;
  } finally {
    clearInterval(heartbeats);
  }
}
