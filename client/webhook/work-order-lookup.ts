import { and, eq, guid, type DataverseClient } from '../../connectors';
import { reportedWorkOrders } from '../../connectors/entities/dataverse';
import type { WorkOrderNotice } from '../../activities/watchers/contract';
import { fieldServiceDecision } from '../../activities/watchers/field-service-decision';
import { isCanceledWorkOrder, reportedWorkOrdersFilter } from '../../activities/watchers/header-filter';
import type { MappingProject } from '../../mappings/project/merge';
import type { WorkOrderReference } from './dataverse-work-order';

/** A work order an event may be about: selected for invoicing, or cancelled (its workflow must hear of it). */
export interface ReportedWorkOrder {
  workOrderNumber: string;
  canceled: boolean;
  /** The row as read (a workflow that wrote this version itself ignores the notice), and its decision on invoicing. */
  notice?: WorkOrderNotice;
}

/**
 * The referenced work order if the mapping project's work order filter selects it or it is cancelled
 * (Closed-Canceled), read from Field Service in one query; undefined otherwise (or when no such work
 * order exists). Events arrive for every work order, and only selected ones may start a workflow, as
 * in the watcher; a cancelled one may only end a running workflow.
 */
export function selectedWorkOrderLookup(dataverse: DataverseClient, project: MappingProject) {
  const reported = reportedWorkOrdersFilter(project);
  return async (reference: WorkOrderReference): Promise<ReportedWorkOrder | undefined> => {
    const which =
      'number' in reference
        ? eq('msdyn_name', reference.number)
        : eq('msdyn_workorderid', guid(reference.id));
    for await (const row of dataverse.query(reportedWorkOrders, {
      filter: reported ? and(reported, which) : which,
      top: 1,
    })) {
      return {
        workOrderNumber: row.msdyn_name,
        canceled: isCanceledWorkOrder(row),
        notice: {
          etag: row['@odata.etag'],
          modifiedOn: row.modifiedon ?? undefined,
          decision: fieldServiceDecision(row, row._modifiedby_value),
        },
      };
    }
    return undefined;
  };
}
