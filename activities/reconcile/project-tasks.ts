import { MissingTaskError } from '../../mappings/engine';
import type { MappingProject } from '../../mappings/project/merge';

/**
 * Whether the mapping project has the tasks a join's flow runs: `tasksOf` finds them, or throws
 * `MissingTaskError` (a project without that flow; any other error is a broken project and is thrown).
 */
export function hasTasks(project: MappingProject, tasksOf: (project: MappingProject) => unknown): boolean {
  try {
    tasksOf(project);
    return true;
  } catch (err) {
    if (err instanceof MissingTaskError) return false;
    throw err;
  }
}
