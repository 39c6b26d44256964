import type { MappingProject } from '../../mappings/project/merge';
import { agreementInvoiceJoin } from './agreement-invoices/join';
import type { ReconcileJoin } from './join';
import { purchaseOrderJoin } from './purchase-orders/join';
import { salesInvoiceJoin } from './sales-invoices/join';
import { workOrderJoin } from './work-orders/join';

/** Every reconciliation join, in the order a report runs them. A new join is one file and one entry here. */
export const RECONCILE_JOINS: readonly ReconcileJoin[] = [
  workOrderJoin,
  agreementInvoiceJoin,
  salesInvoiceJoin,
  purchaseOrderJoin,
];

/** The joins whose flows the mapping project has. */
export const joinsFor = (project: MappingProject): ReconcileJoin[] =>
  RECONCILE_JOINS.filter((join) => join.appliesTo(project));
