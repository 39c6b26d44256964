import { eq, or, type Filter } from '../../connectors';
import { WorkOrderSystemStatus } from '../../connectors/entities/dataverse';
import { findTask } from '../../mappings/engine';
import type { MappingProject, ProjectTask } from '../../mappings/project/merge';
import { sourceFilterOf } from '../source-filter';

export const isWorkOrderHeader = (task: ProjectTask) =>
  task.source === 'msdyn_workorders' && task.parent === undefined;

/** Whether the mapping project invoices work orders (has the work order → sales order template's header task). */
export const hasWorkOrderFlow = (project: MappingProject): boolean => project.tasks.some(isWorkOrderHeader);

/** Whether the mapping project invoices agreements (has the agreement invoice → free text invoice header task). */
export const hasAgreementInvoiceFlow = (project: MappingProject): boolean =>
  project.tasks.some(
    (task) =>
      task.source === 'invoices' &&
      task.destination === 'CDSFreeTextInvoiceHeaders' &&
      task.parent === undefined,
  );

/** The `$filter` of the mapping project's work order header task; undefined when it has none. */
export function workOrderHeaderFilter(project: MappingProject): Filter | undefined {
  return sourceFilterOf(findTask(project, isWorkOrderHeader, 'work order task'));
}

/**
 * The work orders the watcher and the webhook report: those the header filter selects, and those
 * cancelled in Field Service (which the template's filter leaves out, but whose workflows must hear of
 * it); undefined when the header task has no filter.
 */
export function reportedWorkOrdersFilter(project: MappingProject): Filter | undefined {
  const header = workOrderHeaderFilter(project);
  return header && or(header, eq('msdyn_systemstatus', WorkOrderSystemStatus.ClosedCanceled));
}

/** A reported work order that may only signal its running workflow, never start one. */
export const isCanceledWorkOrder = (row: { msdyn_systemstatus: number | null }): boolean =>
  row.msdyn_systemstatus === WorkOrderSystemStatus.ClosedCanceled;
