import {
  type Client,
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { type Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import type { Config } from '../../config/config';
import type { DecisionMessages } from '../../workflows/integration/decisions';
import type { IntegrationState } from '../../workflows/integration/integration-flow';
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

const through = (channel: string | undefined) => (channel ? ` via ${channel}` : '');

/** A `status` description's decisions: who approved or rejected, through which channel and when; the last refusal. */
export function decisionLines(state: IntegrationState): string[] {
  const lines: string[] = [];
  if (state.approval) {
    const { approvedBy, approvedAt, channel, comment } = state.approval;
    lines.push(
      `  Approved:     by ${approvedBy}${through(channel)} at ${approvedAt}${comment ? ` ("${comment}")` : ''}`,
    );
  }
  for (const { rejectedBy, rejectedAt, channel, reason } of state.rejections) {
    lines.push(`  Rejected:     by ${rejectedBy}${through(channel)} at ${rejectedAt}: ${reason}`);
  }
  if (state.refusal) {
    const { decision, at, reason } = state.refusal;
    lines.push(`  Refused:      ${decision} at ${at}: ${reason}`);
  }
  return lines;
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

/** What the operator's decision commands say about one kind of document. */
export interface DecisionTexts<State> {
  describe: (state: State) => string;
  descriptions: { status: string; approve: string; reject: string; rejectReason: string; retry: string };
  approved: (number: string, by: string) => string;
  rejected: (number: string, reason: string) => string;
  retrying: (number: string, state: State) => string;
  /** Why there is nothing to decide on a document whose workflow has completed (e.g. already invoiced). */
  completed: (number: string, state: State) => string;
}

/** The result of the document's workflow if it has completed, else undefined. */
async function completedState<State>(handle: WorkflowHandle): Promise<State | undefined> {
  const description = await handle.describe().catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  });
  return description?.status.name === 'COMPLETED' ? ((await handle.result()) as State) : undefined;
}

/**
 * `status`, `approve`, `reject` and `retry` for the workflows of one kind of document: the same
 * decision messages (`workflows/integration/decisions.ts`), their texts per document.
 */
export function registerDecisionCommands<State>(
  command: Command,
  loadConfig: () => Config,
  handleOf: (client: Client, number: string) => WorkflowHandle,
  messages: Pick<
    DecisionMessages<State>,
    'approveInvoicingUpdate' | 'rejectInvoicingUpdate' | 'retryUpdate' | 'statusQuery'
  >,
  reportRefusal: (number: string, action: () => Promise<void>) => Promise<void>,
  texts: DecisionTexts<State>,
): void {
  /** Sends a decision; one to a completed workflow says what became of the document instead of "no workflow". */
  const decide = (client: Client, number: string, send: (handle: WorkflowHandle) => Promise<void>) =>
    reportRefusal(number, async () => {
      const handle = handleOf(client, number);
      try {
        await send(handle);
      } catch (err) {
        const ended = err instanceof WorkflowNotFoundError ? await completedState<State>(handle) : undefined;
        if (ended === undefined) throw err;
        console.error(texts.completed(number, ended));
        process.exitCode = 1;
      }
    });

  command
    .command('status <number>')
    .description(texts.descriptions.status)
    .action(
      withClient(loadConfig, async (client, _config, number: string) => {
        await reportRefusal(number, async () => {
          console.log(texts.describe(await handleOf(client, number).query(messages.statusQuery)));
        });
      }),
    );

  command
    .command('approve <number>')
    .description(texts.descriptions.approve)
    .requiredOption(
      '--by <who>',
      'who approves (recorded in the workflow history): with APPROVERS set, an e-mail address or id on it',
    )
    .option('--comment <text>', 'why, for the record')
    .action(
      withClient(
        loadConfig,
        async (client, _config, number: string, options: { by: string; comment?: string }) => {
          await decide(client, number, async (handle) => {
            await handle.executeUpdate(messages.approveInvoicingUpdate, {
              args: [{ approvedBy: options.by, comment: options.comment, channel: 'cli' }],
            });
            console.log(texts.approved(number, options.by));
          });
        },
      ),
    );

  command
    .command('reject <number>')
    .description(texts.descriptions.reject)
    .requiredOption(
      '--by <who>',
      'who rejects (recorded in the workflow history): with APPROVERS set, an e-mail address or id on it',
    )
    .requiredOption('--reason <text>', texts.descriptions.rejectReason)
    .action(
      withClient(
        loadConfig,
        async (client, _config, number: string, options: { by: string; reason: string }) => {
          await decide(client, number, async (handle) => {
            await handle.executeUpdate(messages.rejectInvoicingUpdate, {
              args: [{ rejectedBy: options.by, reason: options.reason, channel: 'cli' }],
            });
            console.log(texts.rejected(number, options.reason));
          });
        },
      ),
    );

  command
    .command('retry <number>')
    .description(texts.descriptions.retry)
    .option('--by <who>', 'who asks for the retry')
    .action(
      withClient(loadConfig, async (client, _config, number: string, options: { by?: string }) => {
        await decide(client, number, async (handle) => {
          const state = await handle.executeUpdate(messages.retryUpdate, {
            args: [{ requestedBy: options.by }],
          });
          console.log(texts.retrying(number, state));
        });
      }),
    );
}
