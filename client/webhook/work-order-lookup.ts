import { and, eq, guid, type DataverseClient } from '../../connectors';
import { workOrders } from '../../connectors/entities/dataverse';
import { workOrderHeaderFilter } from '../../activities/watchers/header-filter';
import type { MappingProject } from '../../mappings/project/merge';
import type { WorkOrderReference } from './dataverse-work-order';

/**
 * The number of the referenced work order if the mapping project's work order filter selects it,
 * read from Field Service in one query; undefined when it does not (or no such work order exists).
 * Events arrive for every work order, and only selected ones may start a workflow, as in the watcher.
 */
export function selectedWorkOrderLookup(dataverse: DataverseClient, project: MappingProject) {
  const header = workOrderHeaderFilter(project);
  return async (reference: WorkOrderReference): Promise<string | undefined> => {
    const which =
      'number' in reference
        ? eq('msdyn_name', reference.number)
        : eq('msdyn_workorderid', guid(reference.id));
    for await (const row of dataverse.query(workOrders, {
      filter: header ? and(header, which) : which,
      top: 1,
    })) {
      return row.msdyn_name;
    }
    return undefined;
  };
}
