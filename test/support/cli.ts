import { Command } from 'commander';
import type { Config } from '../../config/config';

/** What a CLI command printed, and the exit code it set. */
export interface CliRun {
  stdout: string;
  stderr: string;
  exitCode: typeof process.exitCode;
}

/**
 * Runs `fsfo <group> ...args` in process, the group's commands registered by `register`, and returns what it
 * printed and the exit code it set (reset afterwards).
 */
export async function runCli(
  register: (program: Command, loadConfig: () => Config) => void,
  config: Config,
  group: string,
  args: string[],
): Promise<CliRun> {
  const program = new Command('fsfo').exitOverride().configureOutput({ writeErr: () => undefined });
  register(program, () => config);
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await program.parseAsync([group, ...args], { from: 'user' });
    return {
      stdout: log.mock.calls.map((call) => call.join(' ')).join('\n'),
      stderr: error.mock.calls.map((call) => call.join(' ')).join('\n'),
      exitCode: process.exitCode,
    };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.exitCode = undefined;
  }
}
