import type { Command } from 'commander';
import type { Config } from '../../config/config';
import type { createConnectors } from '../../connectors';
import type { MappingProject } from '../../mappings/project/merge';
import { withPreviewProject } from './project';

/** One flow's preview: what it reads and how it prints. */
export interface PreviewCommand<P> {
  /** The `--help` text: what the document would become; the command adds that nothing is written. */
  description: string;
  preview(
    config: Config,
    project: MappingProject,
    connectors: ReturnType<typeof createConnectors>,
    number: string,
  ): Promise<P>;
  describe(preview: P): string;
}

/** `<group> preview <number> [--mapping <file>] [--json]`: reads only, writes nothing, starts no workflow. */
export function registerPreviewCommand<P>(
  group: Command,
  loadConfig: () => Config,
  { description, preview, describe }: PreviewCommand<P>,
): void {
  group
    .command('preview <number>')
    .description(`${description}; writes nothing and starts no workflow`)
    .option('--mapping <file>', 'a mapping project file to try instead of MAPPING_PROJECT')
    .option('--json', 'print the preview as JSON')
    .action(async (number: string, options: { mapping?: string; json?: boolean }) => {
      const config = loadConfig();
      await withPreviewProject(config, options.mapping, async (project, connectors) => {
        const result = await preview(config, project, connectors, number);
        console.log(options.json ? JSON.stringify(result, null, 2) : describe(result));
      });
    });
}
