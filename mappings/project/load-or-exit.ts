import { MappingProjectError } from './errors';
import type { EntityCatalog } from './entity-catalog';
import { loadMappingProject, type ProjectCheck } from './loader';
import type { MappingProject } from './merge';

/**
 * For entry points such as the worker: an invalid mapping project prints every problem and exits
 * with code 2 at start-up, so no flow ever fails half-way on a bad mapping.
 */
export function loadMappingProjectOrExit(
  nameOrPath: string,
  catalog: EntityCatalog,
  checks: readonly ProjectCheck[] = [],
): MappingProject {
  try {
    return loadMappingProject(nameOrPath, catalog, checks);
  } catch (err) {
    if (err instanceof MappingProjectError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
