import { enumMember, eq } from '../../../connectors';
import { salesOrderHeaders, SalesOrderOriginType } from '../../../connectors/entities/finance';
import { driftMaker } from '../document-drift';
import type { Drift } from '../drift';
import type { JoinContext } from '../join';
import { allOf, keyAfter, type KeyedReader } from '../keyed-pages';
import { personFix } from '../repairs';
import { JOIN_NAME } from './evaluate';

export interface SalesOrderKey {
  SalesOrderNumber: string;
  ExternalWorkOrderStatus?: string;
}

/** F&O sales orders of this integration (origin WorkOrderIntegration), by number. */
export function salesOrdersOfTheIntegration(context: JoinContext): KeyedReader<SalesOrderKey> {
  const ours = eq('SalesOrderOriginType', enumMember(SalesOrderOriginType, 'WorkOrderIntegration'));
  return {
    read: (after, top) =>
      context.finance.query(salesOrderHeaders, {
        filter: allOf(ours, keyAfter('SalesOrderNumber', after)),
        select: ['SalesOrderNumber', 'ExternalWorkOrderStatus'],
        orderBy: ['SalesOrderNumber'],
        top,
      }),
    keyOf: (order) => order.SalesOrderNumber,
  };
}

/**
 * An F&O order this integration created whose work order no longer exists in Field Service. The template
 * numbers a sales order after its work order, so the order's number is looked up as a work order number.
 */
export function salesOrderWithoutWorkOrder(order: SalesOrderKey): Drift {
  return driftMaker(JOIN_NAME, undefined)(
    'orphan',
    'F&O sales order',
    order.SalesOrderNumber,
    {
      fieldService: null,
      finance: {
        SalesOrderNumber: order.SalesOrderNumber,
        ExternalWorkOrderStatus: order.ExternalWorkOrderStatus ?? null,
      },
    },
    `F&O sales order ${order.SalesOrderNumber} was created by this integration for work order ` +
      `${order.SalesOrderNumber}, which no longer exists in Field Service.`,
    personFix(
      `Cancel or delete F&O sales order ${order.SalesOrderNumber} in F&O, or invoice it there if the work was done.`,
    ),
  );
}
