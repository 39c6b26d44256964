import type { ProjectTask } from '../mappings/project/merge';

type TaskMatch = Partial<Pick<ProjectTask, 'source' | 'destination' | 'direction'>>;

/**
 * The top-level tasks the document flows read, as their task finders look for them
 * (`work-order-tasks.ts`, `agreement-invoice-tasks.ts`, `purchase-order-tasks.ts`, `inventory-tasks.ts`;
 * a test holds the two together). Per task rather than by calling the finders: those need every task of
 * their flow, and a template alone (e.g. `work-orders-to-sales-orders`) has only part of one.
 */
const FLOW_READS: Record<string, TaskMatch[]> = {
  workOrder: [
    { source: 'msdyn_workorders' },
    { source: 'accounts', direction: 'fieldServiceToFinance' },
    { source: 'products', direction: 'fieldServiceToFinance' },
    { source: 'SalesInvoiceHeadersV2' },
    { source: 'SalesInvoiceLines' },
  ],
  agreementInvoice: [
    { source: 'invoices', destination: 'CDSFreeTextInvoiceHeaders' },
    { source: 'accounts', direction: 'fieldServiceToFinance' },
  ],
  purchaseOrder: [
    { source: 'msdyn_purchaseorders', destination: 'PurchaseOrderHeadersV2' },
    { source: 'msdyn_purchaseorderproducts', destination: 'CDSPurchaseOrderLines' },
    { source: 'PurchaseOrderHeadersV2', destination: 'msdyn_purchaseorders' },
    { source: 'CDSPurchaseOrderLines', destination: 'msdyn_purchaseorderproducts' },
    { source: 'ProductReceiptHeaders', destination: 'msdyn_purchaseorderreceipts' },
    { source: 'ProductReceiptLines', destination: 'msdyn_purchaseorderreceiptproducts' },
  ],
  inventoryDocument: [
    { source: 'msdyn_inventoryadjustments', destination: 'InventoryAdjustmentJournalHeaders' },
    { source: 'msdyn_inventorytransfers', destination: 'InventoryTransferJournalHeaders' },
  ],
};

const matches = (task: ProjectTask, match: TaskMatch) =>
  Object.entries(match).every(([property, value]) => task[property as keyof TaskMatch] === value);

/** Whether a document flow reads the task (line tasks come with their header). */
export const isReadByFlow = (task: ProjectTask): boolean =>
  Object.values(FLOW_READS).some((reads) => reads.some((match) => matches(task, match)));
