import type { z } from 'zod';
import { date, decimal, financeRecord, integer, text } from './columns';
import { financeEntity } from './entity';
import { PurchStatus, VersioningDocumentState } from './enums';

/** `PurchaseOrderHeadersV2`. */
export const purchaseOrderHeaderSchema = financeRecord({
  PurchaseOrderNumber: text,
  OrderVendorAccountNumber: text,
  InvoiceVendorAccountNumber: text.optional(),
  DefaultReceivingWarehouseId: text.optional(),
  DefaultReceivingSiteId: text.optional(),
  RequestedDeliveryDate: date.optional(),
  CurrencyCode: text,
  PaymentTermsName: text.optional(),
  DeliveryModeId: text.optional(),
  DeliveryTermsId: text.optional(),
  PurchaseOrderStatus: PurchStatus.schema.optional(),
  DocumentApprovalStatus: VersioningDocumentState.schema.optional(),
  OrdererPersonnelNumber: text.optional(),
  /** When the order or a line last changed: the watcher's watermark (the sandbox's stand-in for change tracking). */
  ModifiedDateTime: date.optional(),
});
export type PurchaseOrderHeader = z.infer<typeof purchaseOrderHeaderSchema>;
export const purchaseOrderHeaders = financeEntity(
  'PurchaseOrderHeadersV2',
  ['PurchaseOrderNumber'],
  purchaseOrderHeaderSchema,
);

/** `CDSPurchaseOrderLines`. */
export const purchaseOrderLineSchema = financeRecord({
  PurchaseOrderNumber: text,
  LineNumber: integer,
  ProductNumber: text,
  OrderedPurchaseQuantity: decimal,
  PurchaseUnitSymbol: text.optional(),
  ReceivingWarehouseId: text.optional(),
  ReceivingSiteId: text.optional(),
  PurchasePrice: decimal.optional(),
  LineAmount: decimal.optional(),
  LineDiscountAmount: decimal.optional(),
  LineDiscountPercentage: decimal.optional(),
  PurchaseOrderLineStatus: PurchStatus.schema.optional(),
  ProcurementProductCategoryName: text.optional(),
});
export type PurchaseOrderLine = z.infer<typeof purchaseOrderLineSchema>;
export const purchaseOrderLines = financeEntity(
  'CDSPurchaseOrderLines',
  ['PurchaseOrderNumber', 'LineNumber'],
  purchaseOrderLineSchema,
);
