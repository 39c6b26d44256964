import type { z } from 'zod';
import { date, decimal, financeRecord, text } from './columns';
import { financeEntity } from './entity';

/** `InventoryAdjustmentJournalHeaders`: created unposted; a batch job in F&O posts them. */
export const adjustmentJournalHeaderSchema = financeRecord({
  JournalNumber: text,
  JournalNameId: text,
  Description: text.optional(),
});
export type AdjustmentJournalHeader = z.infer<typeof adjustmentJournalHeaderSchema>;
export const adjustmentJournalHeaders = financeEntity(
  'InventoryAdjustmentJournalHeaders',
  ['JournalNumber'],
  adjustmentJournalHeaderSchema,
);

/** `InventoryAdjustmentJournalEntriesV2`; the site comes from the warehouse. */
export const adjustmentJournalEntrySchema = financeRecord({
  JournalNumber: text,
  LineNumber: decimal,
  ItemNumber: text,
  InventorySiteId: text.optional(),
  InventoryWarehouseId: text,
  InventoryQuantity: decimal,
  TransactionDate: date,
});
export type AdjustmentJournalEntry = z.infer<typeof adjustmentJournalEntrySchema>;
/** The entity's full key also lists product and tracking dimensions; the journal line is identified by these. */
export const adjustmentJournalEntries = financeEntity(
  'InventoryAdjustmentJournalEntriesV2',
  ['JournalNumber', 'LineNumber'],
  adjustmentJournalEntrySchema,
);

/** `InventoryTransferJournalHeaders`. */
export const transferJournalHeaderSchema = financeRecord({
  JournalNumber: text,
  JournalNameId: text,
  Description: text.optional(),
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
