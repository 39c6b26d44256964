import { findTask } from '../../mappings/engine';
import type { MappingProject, ProjectTask } from '../../mappings/project/merge';

/** The tasks of a mapping project that the purchase order flow runs, found once at worker start. */
export interface PurchaseOrderTasks {
  header: ProjectTask;
  lines: ProjectTask;
  headerStatus: ProjectTask;
  linePrices: ProjectTask;
  receiptHeader: ProjectTask;
  receiptLines: ProjectTask;
}

const task = (project: MappingProject, source: string, destination: string) =>
  findTask(
    project,
    (candidate) => candidate.source === source && candidate.destination === destination,
    `${source} → ${destination} task`,
  );

export function purchaseOrderTasks(project: MappingProject): PurchaseOrderTasks {
  return {
    header: task(project, 'msdyn_purchaseorders', 'PurchaseOrderHeadersV2'),
    lines: task(project, 'msdyn_purchaseorderproducts', 'CDSPurchaseOrderLines'),
    headerStatus: task(project, 'PurchaseOrderHeadersV2', 'msdyn_purchaseorders'),
    linePrices: task(project, 'CDSPurchaseOrderLines', 'msdyn_purchaseorderproducts'),
    receiptHeader: task(project, 'ProductReceiptHeaders', 'msdyn_purchaseorderreceipts'),
    receiptLines: task(project, 'ProductReceiptLines', 'msdyn_purchaseorderreceiptproducts'),
  };
}
