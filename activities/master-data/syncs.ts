import type { Config } from '../../config/config';
import type { Connectors } from '../../connectors';
import type { MappingProject, ProjectTask } from '../../mappings/project/merge';
import { inventoryDocumentStarts } from '../inventory/document-starts';
import { journalPostingSignals } from '../inventory/journal-postings';
import { onHandSync } from '../inventory/on-hand-sync';
import { LookupBindings } from '../lookup-bindings';
import { submittedPurchaseOrders } from '../purchase-order/submitted-purchase-orders';
import { financePurchaseOrderChanges, purchaseOrderStarts } from '../purchase-order/watch';
import { ReferenceData } from '../reference-data';
import { RelatedRecordReader } from '../related-records';
import { agreementInvoiceStarts } from './agreement-invoice-starts';
import type { MasterDataSync } from './master-data-sync';
import { dataverseDestination, financeDestination } from './record-destinations';
import { dataverseSource, financeSource } from './record-sources';
import { recordSync } from './record-sync';
import { salesInvoiceSync } from './sales-invoice-sync';

export interface SyncDeps extends Connectors {
  config: Config;
  project: MappingProject;
  reference: ReferenceData;
  related: RelatedRecordReader;
  bindings: LookupBindings;
}

/** A mapping task as a sync in its own direction: Dataverse → F&O, or F&O → Dataverse. */
export function taskSync(deps: SyncDeps, task: ProjectTask, summary: string): MasterDataSync {
  return task.direction === 'fieldServiceToFinance'
    ? recordSync(
        task,
        dataverseSource(deps.dataverse, deps.related, task),
        financeDestination(deps.finance, task),
        summary,
      )
    : recordSync(
        task,
        financeSource(deps.finance, task),
        dataverseDestination(deps.dataverse, deps.bindings, task),
        summary,
      );
}

const topLevel = (project: MappingProject, matches: (task: ProjectTask) => boolean) =>
  project.tasks.find((task) => task.parent === undefined && matches(task));

/**
 * The master-data syncs by name, each present when the mapping project has its task. Products flow
 * the way the project's products task points (Field Service → F&O by default, or F&O → Field Service).
 */
const SYNCS: Record<string, (deps: SyncDeps) => MasterDataSync | undefined> = {
  products: (deps) => {
    const task = topLevel(deps.project, (t) => t.source === 'products' || t.destination === 'products');
    if (task === undefined) return undefined;
    const summary =
      task.direction === 'fieldServiceToFinance'
        ? 'Field Service products → F&O released products'
        : 'F&O released products → Field Service products';
    return taskSync(deps, task, summary);
  },
  customers: (deps) => {
    const task = topLevel(
      deps.project,
      (t) => t.source === 'accounts' && t.direction === 'fieldServiceToFinance',
    );
    return task && taskSync(deps, task, 'Field Service accounts → F&O customers');
  },
  'sales-invoices': (deps) => {
    const invoiceHeader = topLevel(deps.project, (t) => t.source === 'SalesInvoiceHeadersV2');
    const invoiceLines = deps.project.tasks.find((t) => t.source === 'SalesInvoiceLines');
    return (
      invoiceHeader &&
      salesInvoiceSync(deps.dataverse, deps.finance, deps.reference, { invoiceHeader, invoiceLines })
    );
  },
  'agreement-invoices': (deps) => {
    const task = topLevel(
      deps.project,
      (t) => t.source === 'invoices' && t.direction === 'fieldServiceToFinance',
    );
    return task && agreementInvoiceStarts(deps.config, dataverseSource(deps.dataverse, deps.related, task));
  },
  warehouses: (deps) => {
    const task = topLevel(
      deps.project,
      (t) => t.source === 'Warehouses' && t.destination === 'msdyn_warehouses',
    );
    return task && taskSync(deps, task, 'F&O warehouses → Field Service warehouses (maintained externally)');
  },
  'on-hand': (deps) => {
    const task = topLevel(deps.project, (t) => t.source === 'WarehousesOnHandV2');
    return task && onHandSync(deps.dataverse, deps.finance, task);
  },
  'inventory-adjustments': (deps) => {
    const task = topLevel(deps.project, (t) => t.destination === 'InventoryAdjustmentJournalHeaders');
    return (
      task &&
      inventoryDocumentStarts(deps.config, 'adjustment', dataverseSource(deps.dataverse, deps.related, task))
    );
  },
  'inventory-transfers': (deps) => {
    const task = topLevel(deps.project, (t) => t.destination === 'InventoryTransferJournalHeaders');
    return (
      task &&
      inventoryDocumentStarts(deps.config, 'transfer', dataverseSource(deps.dataverse, deps.related, task))
    );
  },
  'inventory-adjustment-postings': (deps) =>
    topLevel(deps.project, (t) => t.destination === 'InventoryAdjustmentJournalHeaders') &&
    journalPostingSignals(deps.finance, 'adjustment'),
  'inventory-transfer-postings': (deps) =>
    topLevel(deps.project, (t) => t.destination === 'InventoryTransferJournalHeaders') &&
    journalPostingSignals(deps.finance, 'transfer'),
  vendors: (deps) => {
    const task = topLevel(deps.project, (t) => t.source === 'VendorsV2' && t.destination === 'accounts');
    return task && taskSync(deps, task, 'F&O vendors → Field Service accounts (type Vendor)');
  },
  'vendor-records': (deps) => {
    const task = topLevel(deps.project, (t) => t.source === 'VendorsV2' && t.destination === 'msdyn_vendors');
    return task && taskSync(deps, task, 'F&O vendors → Field Service vendors (msdyn_vendors)');
  },
  'purchase-orders': (deps) => {
    const task = topLevel(deps.project, (t) => t.destination === 'PurchaseOrderHeadersV2');
    return task && purchaseOrderStarts(deps.config, submittedPurchaseOrders(deps.dataverse, task));
  },
  'purchase-order-changes': (deps) =>
    topLevel(deps.project, (t) => t.destination === 'PurchaseOrderHeadersV2') &&
    financePurchaseOrderChanges(deps.finance),
};

export const SYNC_NAMES = Object.keys(SYNCS);

/** The syncs the mapping project supports, built once per worker. */
export function createMasterDataSyncs(
  config: Config,
  connectors: Connectors,
  project: MappingProject,
): Map<string, MasterDataSync> {
  const reference = new ReferenceData(connectors.dataverse);
  const deps: SyncDeps = {
    ...connectors,
    config,
    project,
    reference,
    related: new RelatedRecordReader(connectors.dataverse, reference),
    bindings: new LookupBindings(connectors.dataverse, reference),
  };
  const syncs = new Map<string, MasterDataSync>();
  for (const [name, create] of Object.entries(SYNCS)) {
    const sync = create(deps);
    if (sync) syncs.set(name, sync);
  }
  return syncs;
}
