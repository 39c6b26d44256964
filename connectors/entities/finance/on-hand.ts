import type { z } from 'zod';
import { date, decimal, financeRecord, text } from './columns';
import { financeEntity } from './entity';

/** `WarehousesOnHandV2`: on-hand quantities per released product, dimensions and warehouse. */
export const onHandSchema = financeRecord({
  ItemNumber: text,
  ProductColorId: text,
  ProductConfigurationId: text,
  ProductSizeId: text,
  ProductStyleId: text,
  ProductVersionId: text,
  InventorySiteId: text,
  InventoryWarehouseId: text,
  OnHandQuantity: decimal,
  OnOrderQuantity: decimal,
  OrderedQuantity: decimal,
  AvailableOnHandQuantity: decimal.optional(),
  /** When the level last changed; the sandbox's stand-in for F&O change tracking (not a public field). */
  ModifiedDateTime: date.optional(),
});
export type OnHand = z.infer<typeof onHandSchema>;
export const onHand = financeEntity(
  'WarehousesOnHandV2',
  [
    'ItemNumber',
    'ProductColorId',
    'ProductConfigurationId',
    'ProductSizeId',
    'ProductStyleId',
    'ProductVersionId',
    'InventorySiteId',
    'InventoryWarehouseId',
  ],
  onHandSchema,
);
