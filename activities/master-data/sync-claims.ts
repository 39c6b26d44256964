import type { ProjectIssue } from '../../mappings/project/errors';
import type { MappingProject, ProjectTask } from '../../mappings/project/merge';

type Claim = (task: ProjectTask) => boolean;

const adjustmentJournals: Claim = (t) => t.destination === 'InventoryAdjustmentJournalHeaders';
const transferJournals: Claim = (t) => t.destination === 'InventoryTransferJournalHeaders';
const purchaseOrders: Claim = (t) => t.destination === 'PurchaseOrderHeadersV2';

/**
 * The top-level task each named master-data sync runs, by role. Products flow the way the project's
 * products task points (Field Service → F&O by default, or F&O → Field Service).
 */
export const SYNC_CLAIMS = {
  products: { task: (t) => t.source === 'products' || t.destination === 'products' },
  customers: { task: (t) => t.source === 'accounts' && t.direction === 'fieldServiceToFinance' },
  'sales-invoices': {
    header: (t) => t.source === 'SalesInvoiceHeadersV2',
    lines: (t) => t.source === 'SalesInvoiceLines',
  },
  'agreement-invoices': { task: (t) => t.source === 'invoices' && t.direction === 'fieldServiceToFinance' },
  warehouses: { task: (t) => t.source === 'Warehouses' && t.destination === 'msdyn_warehouses' },
  'on-hand': { task: (t) => t.source === 'WarehousesOnHandV2' },
  'inventory-adjustments': { task: adjustmentJournals },
  'inventory-transfers': { task: transferJournals },
  'inventory-adjustment-postings': { journals: adjustmentJournals },
  'inventory-transfer-postings': { journals: transferJournals },
  vendors: { task: (t) => t.source === 'VendorsV2' && t.destination === 'accounts' },
  'vendor-records': { task: (t) => t.source === 'VendorsV2' && t.destination === 'msdyn_vendors' },
  'purchase-orders': { task: purchaseOrders },
  'purchase-order-changes': { orders: purchaseOrders },
} satisfies Record<string, Record<string, Claim>>;

export type SyncName = keyof typeof SYNC_CLAIMS;
export const SYNC_NAMES = Object.keys(SYNC_CLAIMS) as SyncName[];

/** Each named sync's tasks by role; a role the project has no task for is absent. */
export type ClaimedTasks = {
  [N in SyncName]: Partial<Record<keyof (typeof SYNC_CLAIMS)[N], ProjectTask>>;
};

/** Whether any named sync claims the task, as its only task or in some role. */
export const isClaimed = (task: ProjectTask): boolean =>
  Object.values(SYNC_CLAIMS).some((roles) => Object.values<Claim>(roles).some((claims) => claims(task)));

const at = (task: ProjectTask) => `${task.origin.file} ${task.origin.path}`;

/**
 * The project's top-level tasks each named sync claims. A second task for the same role is an issue:
 * a named sync runs one task, and taking the first would silently ignore the other.
 */
export function claimTasks(project: MappingProject, issues: ProjectIssue[]): ClaimedTasks {
  const topLevel = project.tasks.filter((task) => task.parent === undefined);
  const claimed: Record<string, Record<string, ProjectTask>> = {};
  // Syncs that share a claim (a document sync and its postings) report a second task once.
  const reported = new Set<ProjectTask>();
  for (const [sync, roles] of Object.entries(SYNC_CLAIMS)) {
    claimed[sync] = {};
    for (const [role, claims] of Object.entries<Claim>(roles)) {
      const [first, ...others] = topLevel.filter(claims);
      if (first !== undefined) claimed[sync][role] = first;
      for (const other of others.filter((task) => !reported.has(task))) {
        reported.add(other);
        issues.push({
          ...other.origin,
          message:
            `task "${other.name}" (${other.source} → ${other.destination}) claims the ${sync} sync, which runs ` +
            `task "${first.name}" (${at(first)}): a named sync runs one task; remove one, or give it the same name to replace it`,
        });
      }
    }
  }
  return claimed as ClaimedTasks;
}
