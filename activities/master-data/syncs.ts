import type { Config } from '../../config/config';
import type { Connectors } from '../../connectors';
import { MappingProjectError } from '../../mappings/project/errors';
import type { MappingProject, ProjectTask } from '../../mappings/project/merge';
import { inventoryDocumentStarts } from '../inventory/document-starts';
import { journalPostingSignals } from '../inventory/journal-postings';
import { onHandSync } from '../inventory/on-hand-sync';
import { LookupBindings } from '../lookup-bindings';
import { submittedPurchaseOrders } from '../purchase-order/submitted-purchase-orders';
import { financePurchaseOrderChanges, purchaseOrderStarts } from '../purchase-order/watch';
import { ReferenceData } from '../reference-data';
import { RelatedRecordReader } from '../related-records';
import { systemsOf } from './added-tasks';
import { agreementInvoiceStarts } from './agreement-invoice-starts';
import type { MasterDataSync } from './master-data-sync';
import { dataverseDestination, financeDestination } from './record-destinations';
import { markMaintainedInFinance, type RecordMark } from './record-marks';
import { dataverseSource, financeSource } from './record-sources';
import { recordSync } from './record-sync';
import { salesInvoiceSync } from './sales-invoice-sync';
import { type ClaimedTasks, SYNC_NAMES, type SyncName } from './sync-claims';
import { planMasterDataSyncs } from './sync-plan';

export interface SyncDeps extends Connectors {
  config: Config;
  project: MappingProject;
  reference: ReferenceData;
  related: RelatedRecordReader;
  bindings: LookupBindings;
}

/** A mapping task as a sync in its own direction: Dataverse → F&O, or F&O → Dataverse. */
export function taskSync(
  deps: SyncDeps,
  task: ProjectTask,
  summary: string,
  mark?: RecordMark,
): MasterDataSync {
  return task.direction === 'fieldServiceToFinance'
    ? recordSync(
        task,
        dataverseSource(deps.dataverse, deps.related, task),
        financeDestination(deps.finance, task),
        summary,
        mark,
      )
    : recordSync(
        task,
        financeSource(deps.finance, task),
        dataverseDestination(deps.dataverse, deps.bindings, task),
        summary,
      );
}

/**
 * The named master-data syncs, each present when the mapping project has the task it claims
 * (`sync-claims.ts`).
 */
const SYNCS: { [N in SyncName]: (deps: SyncDeps, tasks: ClaimedTasks[N]) => MasterDataSync | undefined } = {
  products: (deps, { task }) => {
    if (task === undefined) return undefined;
    // Field Service products F&O has are marked maintained there, so work orders using them sync.
    return task.direction === 'fieldServiceToFinance'
      ? taskSync(
          deps,
          task,
          'Field Service products → F&O released products (marked maintained in F&O)',
          markMaintainedInFinance(deps.dataverse),
        )
      : taskSync(deps, task, 'F&O released products → Field Service products');
  },
  customers: (deps, { task }) => task && taskSync(deps, task, 'Field Service accounts → F&O customers'),
  'sales-invoices': (deps, { header, lines }) =>
    header &&
    salesInvoiceSync(
      deps.dataverse,
      deps.finance,
      deps.reference,
      { invoiceHeader: header, invoiceLines: lines },
      deps.config.invoiceLookbackDays,
    ),
  'agreement-invoices': (deps, { task }) =>
    task && agreementInvoiceStarts(deps.config, dataverseSource(deps.dataverse, deps.related, task)),
  warehouses: (deps, { task }) =>
    task && taskSync(deps, task, 'F&O warehouses → Field Service warehouses (maintained externally)'),
  'on-hand': (deps, { task }) => task && onHandSync(deps.dataverse, deps.finance, task),
  'inventory-adjustments': (deps, { task }) =>
    task &&
    inventoryDocumentStarts(deps.config, 'adjustment', dataverseSource(deps.dataverse, deps.related, task)),
  'inventory-transfers': (deps, { task }) =>
    task &&
    inventoryDocumentStarts(deps.config, 'transfer', dataverseSource(deps.dataverse, deps.related, task)),
  'inventory-adjustment-postings': (deps, { journals }) =>
    journals && journalPostingSignals(deps.finance, 'adjustment'),
  'inventory-transfer-postings': (deps, { journals }) =>
    journals && journalPostingSignals(deps.finance, 'transfer'),
  vendors: (deps, { task }) =>
    task && taskSync(deps, task, 'F&O vendors → Field Service accounts (type Vendor)'),
  'vendor-records': (deps, { task }) =>
    task && taskSync(deps, task, 'F&O vendors → Field Service vendors (msdyn_vendors)'),
  'purchase-orders': (deps, { task }) =>
    task && purchaseOrderStarts(deps.config, submittedPurchaseOrders(deps.dataverse, task)),
  'purchase-order-changes': (deps, { orders }) => orders && financePurchaseOrderChanges(deps.finance),
};

const addedSummary = (task: ProjectTask) => {
  const { from, to } = systemsOf(task);
  return `${task.name}: ${from.name} ${task.source} → ${to.name} ${task.destination} (added by the mapping project)`;
};

/**
 * The syncs the mapping project supports, built once per worker: the named syncs it has tasks for, and
 * each task it adds that nothing else runs. Throws a MappingProjectError when its tasks cannot run so.
 */
export function createMasterDataSyncs(
  config: Config,
  connectors: Connectors,
  project: MappingProject,
): Map<string, MasterDataSync> {
  const { claimed, added, issues } = planMasterDataSyncs(project);
  if (issues.length > 0) throw new MappingProjectError(issues);
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
  const create = <N extends SyncName>(name: N) => SYNCS[name](deps, claimed[name]);
  for (const name of SYNC_NAMES) {
    const sync = create(name);
    if (sync) syncs.set(name, sync);
  }
  for (const [name, task] of added) syncs.set(name, taskSync(deps, task, addedSummary(task)));
  return syncs;
}
