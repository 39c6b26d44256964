import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { InvalidArgumentError } from 'commander';
import { z } from 'zod';
import type { Config } from '../../config/config';
import { connectClient } from '../connection';

/** Runs `run` with a client on the configured Temporal server, closing it afterwards. */
export function withClient<A extends unknown[]>(
  loadConfig: () => Config,
  run: (client: Client, config: Config, ...args: A) => Promise<void>,
) {
  return async (...args: A) => {
    const config = loadConfig();
    const client = await connectClient(config);
    try {
      await run(client, config, ...args);
    } finally {
      await client.connection.close();
    }
  };
}

/**
 * For the commands on one kind of document (`label`, e.g. "work order"): prints a failure the
 * operator can act on and sets exit code 1; anything unexpected is rethrown.
 */
export function refusalReporter(label: string, startCommand: string) {
  return async (number: string, action: () => Promise<void>): Promise<void> => {
    try {
      await action();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        console.error(`No workflow for ${label} ${number} (start it with "${startCommand}").`);
      } else if (err instanceof WorkflowUpdateFailedError) {
        console.error(`Refused: ${err.cause?.message ?? err.message}`);
      } else if (err instanceof z.ZodError) {
        console.error(`Invalid ${label} number ${JSON.stringify(number)}: ${z.prettifyError(err)}`);
      } else throw err;
      process.exitCode = 1;
    }
  };
}

/** A commander argument parser accepting one of the stages. */
export function stageParser<S extends string>(stages: readonly S[]) {
  return (value: string): S => {
    if (!(stages as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${stages.join(', ')}`);
    }
    return value as S;
  };
}
