import type { WriteKind } from './business-rules';
import type { FinanceData } from './finance-data';
import { normalizeDateTime } from './field-values';

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * A purchase trade agreement line: the vendor's price and discount for an item (F&O's trade agreement
 * journal, simplified to one price per vendor, item and company). Stored in `purchasePrices`.
 */
export interface PurchasePrice {
  company: string;
  vendor: string;
  item: string;
  price: number;
  discountPercentage?: number;
}

export function setPurchasePrice(data: FinanceData, agreement: PurchasePrice): void {
  const values = {
    dataAreaId: agreement.company.toLowerCase(),
    VendorAccountNumber: agreement.vendor,
    ItemNumber: agreement.item,
    Price: agreement.price,
    DiscountPercentage: agreement.discountPercentage ?? 0,
  };
  const existing = data.where('purchasePrices', {
    dataAreaId: values.dataAreaId,
    VendorAccountNumber: values.VendorAccountNumber,
    ItemNumber: values.ItemNumber,
  })[0];
  if (existing) data.update(existing, values);
  else data.insert('purchasePrices', values);
}

/**
 * What F&O fills in on purchase orders: new orders are open (Backorder) and Draft, every change stamps
 * the order's `ModifiedDateTime`; a line gets its unit, warehouse and site from the product, order and
 * warehouse, its price and discount from the trade agreement (else the item's cost price) when none is
 * given, and its line amount.
 */
export function derivePurchaseFields(
  data: FinanceData,
  storage: string,
  kind: WriteKind,
  row: Record<string, unknown>,
): Record<string, unknown> {
  const now = normalizeDateTime(Date.now());
  if (storage === 'purchaseOrderHeaders') {
    return kind === 'create'
      ? { PurchaseOrderStatus: 'Backorder', DocumentApprovalStatus: 'Draft', ModifiedDateTime: now }
      : { ModifiedDateTime: now };
  }
  if (storage !== 'purchaseOrderLines') return {};
  const company = String(row.dataAreaId);
  const order = data.where('purchaseOrderHeaders', {
    dataAreaId: company,
    PurchaseOrderNumber: row.PurchaseOrderNumber,
  })[0];
  const product = data.where('releasedProducts', { dataAreaId: company, ItemNumber: row.ProductNumber })[0];
  const derived: Record<string, unknown> = {};
  if (kind === 'create') derived.PurchaseOrderLineStatus = 'Backorder';
  if (!row.PurchaseUnitSymbol && product) derived.PurchaseUnitSymbol = product.PurchaseUnitSymbol;
  const warehouse = String(row.ReceivingWarehouseId || order?.DefaultReceivingWarehouseId || '');
  if (warehouse && !row.ReceivingWarehouseId) derived.ReceivingWarehouseId = warehouse;
  if (warehouse && !row.ReceivingSiteId) {
    const site = data.where('warehouses', { dataAreaId: company, WarehouseId: warehouse })[0];
    if (site) derived.ReceivingSiteId = site.OperationalSiteId;
  }
  let price = Number(row.PurchasePrice);
  let discountPercentage = Number(row.LineDiscountPercentage);
  if (!price) {
    const agreement = data.where('purchasePrices', {
      dataAreaId: company,
      VendorAccountNumber: order?.OrderVendorAccountNumber,
      ItemNumber: row.ProductNumber,
    })[0];
    price = Number(agreement?.Price ?? product?.UnitCost ?? 0);
    if (!discountPercentage) discountPercentage = Number(agreement?.DiscountPercentage ?? 0);
    derived.PurchasePrice = price;
    derived.LineDiscountPercentage = discountPercentage;
  }
  const gross = Number(row.OrderedPurchaseQuantity) * price;
  derived.LineAmount = round(gross * (1 - discountPercentage / 100) - Number(row.LineDiscountAmount));
  if (order) data.update(order, { ModifiedDateTime: now });
  return derived;
}
