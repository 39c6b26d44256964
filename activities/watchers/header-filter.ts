import type { Filter } from '../../connectors';
import { findTask } from '../../mappings/engine';
import type { MappingProject } from '../../mappings/project/merge';
import { sourceFilterOf } from '../source-filter';

/** The `$filter` of the mapping project's work order header task; undefined when it has none. */
export function workOrderHeaderFilter(project: MappingProject): Filter | undefined {
  return sourceFilterOf(
    findTask(project, (candidate) => candidate.source === 'msdyn_workorders', 'work order task'),
  );
}
