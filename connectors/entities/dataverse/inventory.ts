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
  msdyn_transactiondate: dateTime.optional(),
  /** The document line that moved the stock; both empty on a manual journal. */
  _msdyn_workorderproduct_value: lookup.optional(),
  _msdyn_inventoryadjustmentproduct_value: lookup.optional(),
});
export type InventoryJournal = z.infer<typeof inventoryJournalSchema>;
export const inventoryJournals = dataverseTable(
  'msdyn_inventoryjournals',
  'msdyn_inventoryjournalid',
  inventoryJournalSchema,
);

/**
 * `msdyn_inventoryadjustment`. Its Post status (`InventoryPostStatus`) comes from the integration
 * solution; the logical name is UNCONFIRMED (docs/dynamics-365-templates.md#columns-the-integration-solutions-add), this is the sandbox's.
 */
export const inventoryAdjustmentSchema = dataverseRow({
  msdyn_inventoryadjustmentid: guid,
  msdyn_name: text,
  _msdyn_warehouse_value: lookup,
  msdyn_adjustmenttime: dateTime,
  msdyn_description: text.optional(),
  msdynce_poststatus: wholeNumber.optional(),
  /** The F&O journal that booked it, written back by the integration; logical name is the sandbox's. */
  msdynce_journalnumber: text.optional(),
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
  msdynce_poststatus: wholeNumber.optional(),
  /** The F&O journal that booked it, written back by the integration; logical name is the sandbox's. */
  msdynce_journalnumber: text.optional(),
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
  /** The integration solution's per-line number, so a journal line can be created and then updated. */
  msdynce_numbersequence: text.optional(),
});
export type InventoryAdjustmentProduct = z.infer<typeof inventoryAdjustmentProductSchema>;
export const inventoryAdjustmentProducts = dataverseTable(
  'msdyn_inventoryadjustmentproducts',
  'msdyn_inventoryadjustmentproductid',
  inventoryAdjustmentProductSchema,
);

/**
 * `msdyn_productinventory`: Field Service's stock of a product in a warehouse. Field Service computes it
 * from inventory journals (on hand) and allocated work order products; write a journal to change it.
 */
export const productInventorySchema = dataverseRow({
  msdyn_productinventoryid: guid,
  _msdyn_product_value: lookup,
  _msdyn_warehouse_value: lookup,
  _msdyn_unit_value: lookup.optional(),
  msdyn_qtyonhand: decimal,
  msdyn_qtyallocated: decimal.optional(),
  msdyn_qtyavailable: decimal.optional(),
  msdyn_qtyonorder: decimal.optional(),
});
export type ProductInventory = z.infer<typeof productInventorySchema>;
export const productInventories = dataverseTable(
  'msdyn_productinventories',
  'msdyn_productinventoryid',
  productInventorySchema,
);
