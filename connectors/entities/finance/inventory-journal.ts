import type { z } from 'zod';
import { date, decimal, financeRecord, text } from './columns';
import { financeEntity } from './entity';
import { InventJournalOriginType, NoYes } from './enums';

/** `InventoryAdjustmentJournalHeaders`: created unposted; a batch job in F&O posts them. */
export const adjustmentJournalHeaderSchema = financeRecord({
  JournalNumber: text,
  JournalNameId: text,
  Description: text.optional(),
  JournalOriginType: InventJournalOriginType.schema.optional(),
  /** Set by F&O when the "Post integration inventory journals" batch job posts it. */
  IsPosted: NoYes.schema.optional(),
});
export type AdjustmentJournalHeader = z.infer<typeof adjustmentJournalHeaderSchema>;
export const adjustmentJournalHeaders = financeEntity(
  'InventoryAdjustmentJournalHeaders',
  ['JournalNumber'],
  adjustmentJournalHeaderSchema,
);

/**
 * `InventoryAdjustmentJournalEntriesV2`; the site comes from the warehouse. Its key includes every
 * product, storage and tracking dimension, unset ones as `""`.
 */
export const adjustmentJournalEntrySchema = financeRecord({
  JournalNumber: text,
  LineNumber: decimal,
  ItemNumber: text,
  ProductColorId: text,
  ProductConfigurationId: text,
  ProductSizeId: text,
  ProductStyleId: text,
  ProductVersionId: text,
  InventorySiteId: text,
  InventoryWarehouseId: text,
  ItemBatchNumber: text,
  ItemSerialNumber: text,
  WarehouseLocationId: text,
  LicensePlateNumber: text,
  InventoryStatusId: text,
  InventoryQuantity: decimal,
  TransactionDate: date,
});
export type AdjustmentJournalEntry = z.infer<typeof adjustmentJournalEntrySchema>;
export const adjustmentJournalEntries = financeEntity(
  'InventoryAdjustmentJournalEntriesV2',
  [
    'JournalNumber',
    'ItemNumber',
    'ProductColorId',
    'ProductConfigurationId',
    'ProductSizeId',
    'ProductStyleId',
    'ProductVersionId',
    'InventorySiteId',
    'InventoryWarehouseId',
    'ItemBatchNumber',
    'ItemSerialNumber',
    'WarehouseLocationId',
    'LicensePlateNumber',
    'InventoryStatusId',
    'LineNumber',
  ],
  adjustmentJournalEntrySchema,
);

/** `InventoryTransferJournalHeaders`. */
export const transferJournalHeaderSchema = financeRecord({
  JournalNumber: text,
  JournalNameId: text,
  Description: text.optional(),
  JournalOriginType: InventJournalOriginType.schema.optional(),
  /** Set by F&O when the "Post integration inventory journals" batch job posts it. */
  IsPosted: NoYes.schema.optional(),
});
export type TransferJournalHeader = z.infer<typeof transferJournalHeaderSchema>;
export const transferJournalHeaders = financeEntity(
  'InventoryTransferJournalHeaders',
  ['JournalNumber'],
  transferJournalHeaderSchema,
);

/** `InventoryTransferJournalEntries`. */
export const transferJournalEntrySchema = financeRecord({
  JournalNumber: text,
  LineNumber: decimal,
  ItemNumber: text,
  InventoryQuantity: decimal,
  TransactionDate: date,
  SourceWarehouseId: text,
  SourceInventorySiteId: text.optional(),
  DestinationWarehouseId: text,
  DestinationInventorySiteId: text.optional(),
});
export type TransferJournalEntry = z.infer<typeof transferJournalEntrySchema>;
export const transferJournalEntries = financeEntity(
  'InventoryTransferJournalEntries',
  ['JournalNumber', 'LineNumber'],
  transferJournalEntrySchema,
);
