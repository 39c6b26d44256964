import type { WriteKind } from './business-rules';
import type { FinanceData } from './finance-data';
import { derivePurchaseFields } from './purchase-pricing';

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * Fields F&O fills itself: line amounts, the Open order status of new sales orders and lines, product
 * numbers, purchase order defaults and prices (`purchase-pricing.ts`).
 */
export function deriveFields(
  storage: string,
  kind: WriteKind,
  row: Record<string, unknown>,
  data: FinanceData,
): Record<string, unknown> {
  const derived: Record<string, unknown> = derivePurchaseFields(data, storage, kind, row);
  if (kind === 'create' && storage === 'salesOrderHeaders') derived.SalesOrderStatus = 'Backorder';
  // Without variants a released product's product number is its item number.
  if (storage === 'releasedProducts' && !row.ProductNumber) derived.ProductNumber = row.ItemNumber;
  if (storage === 'salesOrderLines') {
    if (kind === 'create') derived.SalesOrderLineStatus = 'Backorder';
    derived.LineAmount = round(
      Number(row.OrderedSalesQuantity) * Number(row.SalesPrice) - Number(row.LineDiscountAmount),
    );
    // The site of the line's warehouse, as F&O defaults it (the reservation is per site and warehouse).
    if (row.ShippingWarehouseId && !row.ShippingSiteId) {
      const warehouse = data.where('warehouses', {
        dataAreaId: row.dataAreaId,
        WarehouseId: row.ShippingWarehouseId,
      })[0];
      if (warehouse) derived.ShippingSiteId = warehouse.OperationalSiteId;
    }
  }
  return derived;
}
