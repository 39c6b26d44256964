import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../../config/config';
import { createConnectors } from '../../connectors';
import { MissingTaskError } from '../../mappings/engine';
import type { MappingProject } from '../../mappings/project/merge';
import { loadProjectOrReport } from '../commands/mapping';

/**
 * Runs a preview with the mapping project the worker runs (`MAPPING_PROJECT`) or the file `--mapping`
 * names, validated as the worker validates it (an invalid one: its problems, exit code 2), and the
 * connectors of the configuration. A failure a sync would park on (the document does not exist, the
 * project lacks the flow's tasks) is printed with exit code 1; nothing is written either way.
 */
export async function withPreviewProject(
  config: Config,
  mapping: string | undefined,
  run: (project: MappingProject, connectors: ReturnType<typeof createConnectors>) => Promise<void>,
): Promise<void> {
  const project = loadProjectOrReport(mapping ?? config.mappingProject);
  if (!project) return;
  try {
    await run(project, createConnectors(config));
  } catch (error) {
    if (error instanceof MissingTaskError) {
      console.error(`Mapping project ${project.name}: ${error.message}`);
    } else if (error instanceof ApplicationFailure) {
      console.error(error.message);
    } else throw error;
    process.exitCode = 1;
  }
}
