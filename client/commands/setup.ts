import type { Command } from 'commander';
import type { Config } from '../../config/config';
import { connectClient } from '../connection';
import { registerSearchAttributes } from '../search-attributes';

export function registerSetupCommand(program: Command, loadConfig: () => Config): void {
  program
    .command('setup')
    .description("prepare a Temporal namespace for the product (registers the project's search attributes)")
    .action(async () => {
      const client = await connectClient(loadConfig());
      try {
        const added = await registerSearchAttributes(client);
        console.log(
          added.length > 0
            ? `Registered search attributes: ${added.join(', ')}`
            : 'Search attributes already registered',
        );
      } finally {
        await client.connection.close();
      }
    });
}
