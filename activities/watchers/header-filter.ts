import type { Filter } from '../../connectors';
import { findTask } from '../../mappings/engine';
import type { MappingProject, ProjectTask } from '../../mappings/project/merge';
import { sourceFilterOf } from '../source-filter';

const isWorkOrderHeader = (task: ProjectTask) =>
  task.source === 'msdyn_workorders' && task.parent === undefined;

/** Whether the mapping project invoices work orders (has the work order → sales order template's header task). */
export const hasWorkOrderFlow = (project: MappingProject): boolean => project.tasks.some(isWorkOrderHeader);

/** The `$filter` of the mapping project's work order header task; undefined when it has none. */
export function workOrderHeaderFilter(project: MappingProject): Filter | undefined {
  return sourceFilterOf(findTask(project, isWorkOrderHeader, 'work order task'));
}
