import { and, enumMember, eq, gt } from '../../../connectors';
import { workOrders } from '../../../connectors/entities/dataverse';
import { salesOrderHeaders, SalesOrderOriginType } from '../../../connectors/entities/finance';
import { keyFilters } from '../../key-filters';
import type { Drift } from '../drift';
import type { JoinContext } from '../join';
import { personFix } from '../repairs';
import { JOIN_NAME } from './evaluate';

export interface SalesOrderKey {
  SalesOrderNumber: string;
  ExternalWorkOrderStatus?: string;
}

/** F&O sales orders of this integration (origin WorkOrderIntegration) numbered after `after`, in order. */
export async function salesOrdersAfter(
  context: JoinContext,
  after: string,
  limit: number,
): Promise<SalesOrderKey[]> {
  const ours = eq('SalesOrderOriginType', enumMember(SalesOrderOriginType, 'WorkOrderIntegration'));
  const orders: SalesOrderKey[] = [];
  for await (const order of context.finance.query(salesOrderHeaders, {
    filter: after === '' ? ours : and(ours, gt('SalesOrderNumber', after)),
    select: ['SalesOrderNumber', 'ExternalWorkOrderStatus'],
    orderBy: ['SalesOrderNumber'],
    top: limit,
  })) {
    orders.push(order);
  }
  return orders;
}

/**
 * The other way round: F&O orders this integration created whose work order no longer exists in Field
 * Service. The template numbers a sales order after its work order, so the order's number is looked up
 * as a work order number (one query per 50 orders).
 */
export async function salesOrderOrphans(
  context: JoinContext,
  orders: readonly SalesOrderKey[],
): Promise<Drift[]> {
  const existing = new Set<string>();
  for (const filter of keyFilters(
    'msdyn_name',
    orders.map((order) => order.SalesOrderNumber),
  )) {
    for await (const row of context.dataverse.query(workOrders, { select: ['msdyn_name'], filter })) {
      existing.add(row.msdyn_name.toLowerCase());
    }
  }
  return orders
    .filter((order) => !existing.has(order.SalesOrderNumber.toLowerCase()))
    .map((order): Drift => ({
      class: 'orphan',
      join: JOIN_NAME,
      document: 'F&O sales order',
      key: order.SalesOrderNumber,
      fieldService: null,
      finance: {
        SalesOrderNumber: order.SalesOrderNumber,
        ExternalWorkOrderStatus: order.ExternalWorkOrderStatus ?? null,
      },
      workflow: null,
      message:
        `F&O sales order ${order.SalesOrderNumber} was created by this integration for work order ` +
        `${order.SalesOrderNumber}, which no longer exists in Field Service.`,
      fix: personFix(
        `Cancel or delete F&O sales order ${order.SalesOrderNumber} in F&O, or invoice it there if the work was done.`,
      ),
    }));
}
