import type { z } from 'zod';
import { decimal, financeRecord, text } from './columns';
import { financeEntity } from './entity';
import { FieldServiceProductType } from './enums';

/** `SellableReleasedProducts`: released products that pass validation, one per variant. */
export const releasedProductSchema = financeRecord({
  ProductNumber: text,
  ProductName: text,
  ProductDescription: text.optional(),
  FieldServiceProductType: FieldServiceProductType.schema,
  ProductType: text.optional(),
  SalesUnitSymbol: text,
  InventoryUnitSymbol: text.optional(),
  SalesPrice: decimal.optional(),
  UnitCost: decimal.optional(),
  CurrencyCode: text.optional(),
});
export type ReleasedProduct = z.infer<typeof releasedProductSchema>;
export const releasedProducts = financeEntity(
  'SellableReleasedProducts',
  ['ProductNumber'],
  releasedProductSchema,
);

/**
 * `ReleasedProductsV2`: the writable released product, keyed by item number. Products mastered in
 * Field Service are created here; `SellableReleasedProducts` is the read view of the same products.
 */
export const releasedProductV2Schema = financeRecord({
  ItemNumber: text,
  ProductNumber: text,
  ProductName: text,
  ProductDescription: text.optional(),
  FieldServiceProductType: FieldServiceProductType.schema,
  SalesUnitSymbol: text,
  InventoryUnitSymbol: text.optional(),
  SalesPrice: decimal.optional(),
  UnitCost: decimal.optional(),
  CurrencyCode: text.optional(),
});
export type ReleasedProductV2 = z.infer<typeof releasedProductV2Schema>;
export const releasedProductsV2 = financeEntity(
  'ReleasedProductsV2',
  ['ItemNumber'],
  releasedProductV2Schema,
);
