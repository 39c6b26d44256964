import { and, eq, gt, lt, or, type DataverseClient } from '../../connectors';
import { reportedWorkOrders } from '../../connectors/entities/dataverse';
import type { MappingProject } from '../../mappings/project/merge';
import type { WorkOrderNotice, WorkOrderWatermark } from './contract';
import { fieldServiceDecision } from './field-service-decision';
import { isCanceledWorkOrder, reportedWorkOrdersFilter } from './header-filter';

export interface WorkOrderChange {
  workOrderNumber: string;
  /** Closed-Canceled: its running workflow, if any, must hear of it; it must never start one. */
  canceled: boolean;
  /**
   * The row's ETag and `modifiedon` (a workflow that wrote this version itself ignores the notice), and the
   * decision on invoicing it carries, by the user who last changed it.
   */
  notice: WorkOrderNotice;
  /** The watermark once this work order is handled. */
  watermark: WorkOrderWatermark;
}

export interface WorkOrderChangesOptions {
  pageSize?: number;
  /**
   * Only work orders modified before this time. A reader that keeps a watermark leaves the last
   * `SETTLE_MS` to its next run: Dataverse stamps `modifiedon` to the second, so a work order written
   * later in the second of the last one read would sort before the watermark and never be read.
   */
  changedBefore?: Date;
}

/**
 * Work orders the mapping project's header filter selects, and those cancelled in Field Service
 * (which the template's filter leaves out), modified after the watermark, oldest first. Rows come
 * from Dataverse one page at a time; stop iterating to stop reading.
 */
export async function* workOrderChanges(
  dataverse: DataverseClient,
  project: MappingProject,
  after: WorkOrderWatermark,
  { pageSize, changedBefore }: WorkOrderChangesOptions = {},
): AsyncGenerator<WorkOrderChange> {
  const at = new Date(after.modifiedOn);
  const afterWatermark = or(
    gt('modifiedon', at),
    and(eq('modifiedon', at), gt('msdyn_name', after.workOrderNumber)),
  );
  const changed = changedBefore ? and(afterWatermark, lt('modifiedon', changedBefore)) : afterWatermark;
  const reported = reportedWorkOrdersFilter(project);
  const rows = dataverse.query(reportedWorkOrders, {
    filter: reported ? and(reported, changed) : changed,
    orderBy: ['modifiedon', 'msdyn_name'],
    pageSize,
  });
  for await (const row of rows) {
    // The filter compares modifiedon, so every row has it; the schema only says it may be absent.
    const modifiedOn = row.modifiedon ?? after.modifiedOn;
    yield {
      workOrderNumber: row.msdyn_name,
      canceled: isCanceledWorkOrder(row),
      notice: {
        etag: row['@odata.etag'],
        modifiedOn,
        decision: fieldServiceDecision(row, row._modifiedby_value),
      },
      watermark: { modifiedOn, workOrderNumber: row.msdyn_name },
    };
  }
}
