import type { z } from 'zod';
import { dataverseRow, dateTime, decimal, guid, lookup, text, wholeNumber } from './columns';
import { dataverseTable } from './table';

/** `msdyn_inventoryjournal`: Field Service's ledger of inventory movements per product and warehouse. */
export const inventoryJournalSchema = dataverseRow({
  msdyn_inventoryjournalid: guid,
  msdyn_name: text.optional(),
  _msdyn_product_value: lookup,
  _msdyn_warehouse_value: lookup,
  _msdyn_unit_value: lookup.optional(),
  msdyn_quantity: decimal,
  msdyn_transactiontype: wholeNumber.optional(),
  msdyn_journaltype: wholeNumber.optional(),
});
export type InventoryJournal = z.infer<typeof inventoryJournalSchema>;
export const inventoryJournals = dataverseTable(
  'msdyn_inventoryjournals',
  'msdyn_inventoryjournalid',
  inventoryJournalSchema,
);

/**
 * `msdyn_inventoryadjustment`. The integration solution's Post status column (`InventoryPostStatus`)
 * has an unconfirmed logical name, so it passes through untyped.
 */
export const inventoryAdjustmentSchema = dataverseRow({
  msdyn_inventoryadjustmentid: guid,
  msdyn_name: text,
  _msdyn_warehouse_value: lookup,
  msdyn_adjustmenttime: dateTime,
  msdyn_description: text.optional(),
  _msdyn_adjustedbyresource_value: lookup.optional(),
  _msdyn_requestedbyresource_value: lookup.optional(),
});
export type InventoryAdjustment = z.infer<typeof inventoryAdjustmentSchema>;
export const inventoryAdjustments = dataverseTable(
  'msdyn_inventoryadjustments',
  'msdyn_inventoryadjustmentid',
  inventoryAdjustmentSchema,
);

/** `msdyn_inventorytransfer` ("Transfer No" in `msdyn_name`). */
export const inventoryTransferSchema = dataverseRow({
  msdyn_inventorytransferid: guid,
  msdyn_name: text,
  _msdyn_sourcewarehouse_value: lookup,
  _msdyn_destinationwarehouse_value: lookup,
  msdyn_transfertime: dateTime,
  _msdyn_transferredbyresource_value: lookup.optional(),
});
export type InventoryTransfer = z.infer<typeof inventoryTransferSchema>;
export const inventoryTransfers = dataverseTable(
  'msdyn_inventorytransfers',
  'msdyn_inventorytransferid',
  inventoryTransferSchema,
);

/** `msdyn_inventoryadjustmentproduct`: a line of an adjustment or of a transfer (one lookup is set). */
export const inventoryAdjustmentProductSchema = dataverseRow({
  msdyn_inventoryadjustmentproductid: guid,
  msdyn_name: text,
  _msdyn_product_value: lookup,
  /** Signed: negative quantities take stock out. */
  msdyn_quantity: decimal,
  _msdyn_unit_value: lookup.optional(),
  _msdyn_inventoryadjustment_value: lookup,
  _msdyn_inventorytransfer_value: lookup,
});
export type InventoryAdjustmentProduct = z.infer<typeof inventoryAdjustmentProductSchema>;
export const inventoryAdjustmentProducts = dataverseTable(
  'msdyn_inventoryadjustmentproducts',
  'msdyn_inventoryadjustmentproductid',
  inventoryAdjustmentProductSchema,
);
