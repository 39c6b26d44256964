import { z } from 'zod';
import { dataverseRow, dateTime, decimal, guid, lookup, text, wholeNumber, yesNo } from './columns';
import { dataverseTable } from './table';

/** `product`; `productnumber` is the key shared with the F&O released product. */
export const productSchema = dataverseRow({
  productid: guid,
  productnumber: z.string(),
  name: z.string(),
  description: text.optional(),
  /** A `FieldServiceProductType` value. */
  msdyn_fieldserviceproducttype: wholeNumber,
  producttypecode: wholeNumber.optional(),
  price: decimal.optional(),
  currentcost: decimal.optional(),
  statecode: wholeNumber.optional(),
  _defaultuomscheduleid_value: lookup.optional(),
  _defaultuomid_value: lookup.optional(),
  _transactioncurrencyid_value: lookup.optional(),
  /** Inventory unit added by the integration solution (docs/dynamics-365-templates.md#columns-the-integration-solutions-add). */
  _msdynce_inventoryunit_value: lookup.optional(),
  /** P2C's Is Externally Maintained; logical name UNCONFIRMED (docs/dynamics-365-templates.md#columns-the-integration-solutions-add), as the sandbox names it. */
  msdynce_isexternallymaintained: yesNo.optional(),
  /** When the row last changed: the master-data syncs read changes by it. */
  modifiedon: dateTime.optional(),
});
export type Product = z.infer<typeof productSchema>;
export const products = dataverseTable('products', 'productid', productSchema);
