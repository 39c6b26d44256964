import { salesOrderHeaders } from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';

/**
 * Tells F&O users that Field Service cancelled the work order: the sales order's external work order
 * status becomes ClosedCanceled, as the template's value map would write it. The order itself stays:
 * F&O owns it (it may be shipped or invoiced already), so cancelling or deleting it is F&O's decision.
 */
export async function markSalesOrderCanceled(
  finance: FinanceClient,
  salesOrderNumber: string,
): Promise<void> {
  await finance.update(
    salesOrderHeaders,
    { SalesOrderNumber: salesOrderNumber },
    { ExternalWorkOrderStatus: 'ClosedCanceled' },
  );
}
