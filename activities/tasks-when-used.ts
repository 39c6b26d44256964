import { MissingTaskError } from '../mappings/engine';
import type { MappingProject } from '../mappings/project/merge';
import { businessFailure } from './business-failure';

/**
 * A flow's mapping tasks, looked up when one of its activities first runs instead of at worker start: a
 * project built from some of the templates runs their flows, and only the other flows' workflows stop,
 * in NeedsAttention, saying which template to add.
 */
export function tasksWhenUsed<T>(
  project: MappingProject,
  flow: { name: string; templates: readonly string[] },
  find: (project: MappingProject) => T,
): () => T {
  let tasks: T | undefined;
  return () => {
    try {
      tasks ??= find(project);
      return tasks;
    } catch (error) {
      if (!(error instanceof MissingTaskError)) throw error;
      throw businessFailure(
        `mapping project ${project.name} has no ${error.what}: the ${flow.name} flow needs the ` +
          `template${flow.templates.length > 1 ? 's' : ''} ${flow.templates.join(' and ')} in its extends`,
        'MappingProjectIncomplete',
      );
    }
  };
}
