import { z } from 'zod';

export const inventoryDocumentKindSchema = z.enum(['adjustment', 'transfer']);
export type InventoryDocumentKind = z.infer<typeof inventoryDocumentKindSchema>;

export const inventoryDocumentRefSchema = z.object({
  kind: inventoryDocumentKindSchema,
  name: z.string().trim().min(1).max(100),
});
export type InventoryDocumentRef = z.infer<typeof inventoryDocumentRefSchema>;

/**
 * A Field Service adjustment or transfer as the F&O journal needs it, read once per sync: the journal
 * header and lines the mapping project makes of it (lines numbered 1…n in `msdynce_numbersequence` order),
 * and the warehouses by their F&O ids.
 */
export interface InventoryDocumentSnapshot extends InventoryDocumentRef {
  documentId: string;
  /** Changes whenever the document or one of its lines changes. */
  version: string;
  /** The F&O journal number Field Service recorded, once it did. */
  recordedJournalNumber?: string;
  /** Why the document cannot become a journal as it is, in words a person can act on. */
  problem?: string;
  /** Adjustment: the warehouse; transfer: source then destination (F&O `WarehouseId`s). */
  warehouses: string[];
  journal: { header: Record<string, unknown>; lines: Record<string, unknown>[] };
}

/** The F&O journal as the workflow last wrote or found it. */
export interface InventoryJournalSummary {
  journalNumber: string;
  lineCount: number;
  posted: boolean;
}

/**
 * What the inventory document workflow asks of Field Service and F&O. Each activity is one idempotent
 * call (or a look-up by natural key and the write it decides), safe to retry after a crash.
 */
export interface InventoryActivities {
  loadInventoryDocument(ref: InventoryDocumentRef): Promise<InventoryDocumentSnapshot>;
  /** The F&O journal of the document (found by its description), created when there is none. */
  ensureInventoryJournal(snapshot: InventoryDocumentSnapshot): Promise<string>;
  /**
   * Writes the journal's lines in one change set when it has none; when it has them they must say what
   * the document says, else the document changed after it was Posted (a business failure).
   */
  writeInventoryJournalLines(input: {
    snapshot: InventoryDocumentSnapshot;
    journalNumber: string;
  }): Promise<InventoryJournalSummary>;
  isInventoryJournalPosted(input: { kind: InventoryDocumentKind; journalNumber: string }): Promise<boolean>;
  /** Writes the F&O journal number on the Field Service document, the mark that it is booked in F&O. */
  recordInventoryJournalNumber(input: {
    kind: InventoryDocumentKind;
    documentId: string;
    journalNumber: string;
  }): Promise<void>;
}
