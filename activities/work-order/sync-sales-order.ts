import type { SalesOrderBounds } from '../../config/config';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { businessFailure } from '../business-failure';
import type { SyncOutcome, WorkOrderSnapshot } from './contract';
import { ensureCheck, type MasterDataCheck, requireCheck } from './master-data';
import { upsertSalesOrder } from './sales-order';
import { invoiceRowsAtHand } from './work-order-invoice';
import type { WorkOrderTasks } from './work-order-tasks';

/** The F&O master data a work order needs: its customers, and its products released (created, or required). */
export function masterDataChecks(
  finance: FinanceClient,
  tasks: WorkOrderTasks,
  snapshot: WorkOrderSnapshot,
): MasterDataCheck[] {
  const { accounts, products } = snapshot.records;
  const checks: MasterDataCheck[] = [];
  if (tasks.customers)
    checks.push(ensureCheck(finance, tasks.customers, accounts, (key) => `customer ${key}`));
  if (tasks.products) checks.push(ensureCheck(finance, tasks.products, products, (key) => `product ${key}`));
  else {
    const numbers = products.map((product) => String(product.record.productnumber));
    checks.push(requireCheck(finance, 'SellableReleasedProducts', 'ProductNumber', numbers));
  }
  return checks;
}

/**
 * A read work order to its F&O sales order: cancelled before approval, nothing is written; not selected
 * by the mapping project, a failure a person can act on; otherwise master data and order are written (one
 * `$batch` of reads, one of writes) and only a summary leaves the activity.
 */
export async function syncReadWorkOrder(
  deps: { finance: FinanceClient; tasks: WorkOrderTasks; bounds: SalesOrderBounds },
  snapshot: WorkOrderSnapshot,
  approved: boolean,
): Promise<SyncOutcome> {
  const { finance, tasks, bounds } = deps;
  const workOrder = {
    workOrderId: snapshot.workOrderId,
    version: snapshot.version,
    etag: snapshot.etag,
    canceled: snapshot.canceled === true,
  };
  if (snapshot.canceled && !approved) return { workOrder };
  if (snapshot.ineligibleReason) throw businessFailure(snapshot.ineligibleReason, 'NotEligible');
  const salesOrder = await upsertSalesOrder(
    finance,
    tasks,
    bounds,
    snapshot,
    masterDataChecks(finance, tasks, snapshot),
  );
  return { workOrder, salesOrder, atHand: invoiceRowsAtHand(tasks, snapshot) };
}
