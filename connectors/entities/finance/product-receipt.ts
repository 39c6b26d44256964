import type { z } from 'zod';
import { date, decimal, financeRecord, integer, text } from './columns';
import { financeEntity } from './entity';

/** `ProductReceiptHeaders`; `RecordId` is the key Field Service keeps in `msdyn_recordid`. */
export const productReceiptHeaderSchema = financeRecord({
  RecordId: integer,
  ProductReceiptNumber: text,
  ProductReceiptDate: date,
  PurchaseOrderNumber: text,
  OrderVendorAccountNumber: text.optional(),
});
export type ProductReceiptHeader = z.infer<typeof productReceiptHeaderSchema>;
export const productReceiptHeaders = financeEntity(
  'ProductReceiptHeaders',
  ['RecordId'],
  productReceiptHeaderSchema,
);

/** `ProductReceiptLines`. */
export const productReceiptLineSchema = financeRecord({
  RecordId: integer,
  ProductReceiptHeaderRecordId: integer,
  PurchaseOrderNumber: text.optional(),
  PurchaseOrderLineNumber: integer,
  ProductNumber: text.optional(),
  ReceivedPurchaseQuantity: decimal,
  ReceivedInventoryQuantity: decimal.optional(),
  RemainingPurchaseQuantity: decimal.optional(),
  RemainingInventoryQuantity: decimal.optional(),
  ItemBatchNumber: text.optional(),
  ItemSerialNumber: text.optional(),
  ReceivingWarehouseId: text.optional(),
  ReceivingWarehouseLocationId: text.optional(),
});
export type ProductReceiptLine = z.infer<typeof productReceiptLineSchema>;
export const productReceiptLines = financeEntity(
  'ProductReceiptLines',
  ['RecordId'],
  productReceiptLineSchema,
);
