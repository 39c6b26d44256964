import type { SourceRecord } from '../../mappings/engine';

/**
 * The values of the columns Field Service owns (those copied to F&O), on the header and on each line by
 * line number: what F&O was last told, against which Field Service's current values show who changed what.
 */
export interface OwnedValues {
  header: Record<string, unknown>;
  lines: Record<string, Record<string, unknown>>;
}

/**
 * A Field Service purchase order as read for the purchase order tasks: the header and its lines with
 * the related records the field maps read. Read once per sync; the F&O write works from it.
 */
export interface PurchaseOrderSnapshot {
  orderId: string;
  purchaseOrderNumber: string;
  vendorAccount?: string;
  /** What a person must fix before F&O can take the order (Draft, service or category-only lines, …). */
  problems: string[];
  owned: OwnedValues;
  records: { header: SourceRecord; lines: Record<string, SourceRecord[]> };
}

/** What the F&O write did: created the order, changed it while Draft, or found nothing to change. */
export type FinanceSyncOutcome = 'created' | 'updated' | 'unchanged';

export interface ProductReceiptLineNotice {
  recordId: number;
  lineNumber: number;
  itemNumber: string;
  quantity: number;
  warehouse: string;
}

export interface ProductReceiptNotice {
  recordId: number;
  receiptNumber: string;
  /** Raw F&O records the receipt tasks map. */
  header: Record<string, unknown>;
  lines: { record: Record<string, unknown>; notice: ProductReceiptLineNotice }[];
}

/** F&O's purchase order as the workflow follows it: what Field Service must show, and the receipts. */
export interface FinancePurchaseOrder {
  purchaseOrderNumber: string;
  approvalStatus: string;
  orderStatus: string;
  totalAmount: number;
  /** F&O's `ModifiedDateTime` of the order when read. */
  modifiedOn: string;
  /** Raw F&O records the status and price tasks map. */
  header: Record<string, unknown>;
  lines: Record<string, unknown>[];
  receipts: ProductReceiptNotice[];
}

/**
 * What the purchase order workflow asks of Field Service and F&O. Each activity is one idempotent
 * call, or a look-up by natural key and the write it decides, safe to retry after a crash.
 */
export interface PurchaseOrderActivities {
  loadPurchaseOrder(purchaseOrderNumber: string): Promise<PurchaseOrderSnapshot>;
  /**
   * Creates the F&O order, header and lines in one change set; later, changes it while its approval
   * status is Draft. Any other difference is a business failure: F&O is left unchanged.
   */
  syncPurchaseOrderToFinance(snapshot: PurchaseOrderSnapshot): Promise<FinanceSyncOutcome>;
  readFinancePurchaseOrder(purchaseOrderNumber: string): Promise<FinancePurchaseOrder>;
  /** The daily safety re-check: did F&O change the order after this stamp? Answered from a shared index. */
  hasFinancePurchaseOrderChanged(input: {
    purchaseOrderNumber: string;
    modifiedOn: string;
  }): Promise<boolean>;
  /**
   * Writes F&O's approval, statuses and prices on the Field Service order where they differ, and F&O's
   * values of Field Service's own columns where Field Service has not changed them since `synced`.
   * Returns what F&O holds of Field Service's columns (`synced` with the values written).
   */
  updateFieldServicePurchaseOrder(input: {
    order: FinancePurchaseOrder;
    synced: OwnedValues;
  }): Promise<OwnedValues>;
  /**
   * Creates the Field Service receipt, its lines and the inventory journals that raise stock at the
   * receiving warehouse, in one change set; a receipt already there is left alone.
   */
  recordProductReceipt(input: {
    purchaseOrderNumber: string;
    receipt: ProductReceiptNotice;
  }): Promise<'recorded' | 'already-recorded'>;
}
