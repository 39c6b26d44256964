import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { workOrders } from '../../connectors/entities/dataverse';
import type { SalesInvoiceHeader } from '../../connectors/entities/finance';
import { keyFilters } from '../key-filters';

/**
 * The sales orders of these F&O invoices that are Field Service work orders (a work order's sales order
 * carries its number): their workflows record their invoices, so the sales invoice sync leaves them.
 * One query per 50 orders.
 */
export async function workOrderSalesOrders(
  dataverse: DataverseClient,
  headers: readonly Pick<SalesInvoiceHeader, 'SalesOrderNumber'>[],
): Promise<Set<string>> {
  const numbers = [...new Set(headers.map((header) => header.SalesOrderNumber).filter(Boolean))];
  const found = new Set<string>();
  for (const filter of keyFilters('msdyn_name', numbers)) {
    for await (const row of dataverse.query(workOrders, { select: ['msdyn_name'], filter })) {
      found.add(String(row.msdyn_name));
    }
  }
  return found;
}
