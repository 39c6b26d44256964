import type { SourceRecord } from '../../mappings/engine';

/**
 * A work order as read from Field Service, shaped for the mapping engine: the header and its lines
 * with the related records their field maps read, plus the accounts and products behind them (the
 * master data F&O needs first). It stays inside the activity that read it.
 */
export interface WorkOrderSnapshot {
  workOrderId: string;
  workOrderNumber: string;
  /** Changes whenever the header or a line changes. */
  version: string;
  /** The header's ETag. */
  etag: string;
  /** Set when the mapping project's filters exclude this work order (e.g. Unscheduled, Canceled). */
  ineligibleReason?: string;
  /** Closed-Canceled in Field Service: the work order will never be invoiced from there. */
  canceled?: boolean;
  records: {
    header: SourceRecord;
    /** Keyed by the lines' entity set (`msdyn_workorderproducts`, `msdyn_workorderservices`). */
    lines: Record<string, SourceRecord[]>;
    accounts: SourceRecord[];
    products: SourceRecord[];
  };
}

export interface SalesOrderSummary {
  salesOrderNumber: string;
  legalEntity: string;
  customerAccount: string;
  currency: string;
  /** The sum of the line amounts F&O computed, read back after the write: what it will invoice. */
  totalAmount: number;
  /** The order's lines in F&O after the write. */
  lineCount: number;
}

/** A posted F&O invoice as the workflow keeps it; its lines stay in F&O until it is recorded. */
export interface PostedInvoice {
  invoiceNumber: string;
  invoiceDate: string;
  legalEntity: string;
  salesOrderNumber: string;
  currency: string;
  totalAmount: number;
}

/**
 * A work order as the workflow knows it: enough to tell a change from its own echo and to write
 * conditionally, never the rows themselves (they stay in the activity that read them).
 */
export interface WorkOrderVersion {
  workOrderId: string;
  /** Changes whenever the header or a line changes. */
  version: string;
  /** The header's ETag (`W/"<version number>"`): what a change notice is compared with and a write is conditional on. */
  etag: string;
  /** Closed-Canceled in Field Service. */
  canceled: boolean;
}

/** Rows an invoice's lookups point at (e.g. the work order's accounts and products), with the columns they bind by. */
export type RowsAtHand = Record<string, Record<string, string>[]>;

/** A sync: the work order as read, and its F&O order as written (none for a work order cancelled before approval). */
export interface SyncOutcome {
  workOrder: WorkOrderVersion;
  salesOrder?: SalesOrderSummary;
  /** What recording the invoice binds to, so that it needs no query of its own. */
  atHand?: RowsAtHand;
}

/**
 * What the work order workflow asks of the outside world. Each activity is one business step (it
 * reads, decides and writes), idempotent and safe to retry after a crash at any point; they exchange
 * ids, versions and summaries, so the workflow history stays small whatever the work order's size.
 */
export interface WorkOrderActivities {
  /**
   * Reads the work order with everything the mapping needs, makes sure of its accounts and products in
   * F&O and writes its sales order. Before approval (`approved` false) a cancelled work order is
   * reported, not written; after it, it is a business failure like any ineligible work order.
   */
  syncSalesOrder(input: { workOrderNumber: string; approved: boolean }): Promise<SyncOutcome>;
  /** The work order's version only, e.g. to tell whether a reported change changed anything. */
  readWorkOrderVersion(workOrderNumber: string): Promise<WorkOrderVersion>;
  /**
   * Approval: the work order moves to Closed-Posted, after which only used values are invoiced; written
   * on the ETag the workflow holds. Returns the header's ETag after the write.
   */
  closeWorkOrder(input: { workOrderNumber: string; workOrderId: string; etag: string }): Promise<string>;
  /** Rejection: the work order goes back to the technician (Open-In Progress); its version after that. */
  returnWorkOrderToTechnician(input: {
    workOrderNumber: string;
    workOrderId: string;
    reason: string;
  }): Promise<WorkOrderVersion>;
  /** Cancelled in Field Service: the F&O order shows ExternalWorkOrderStatus ClosedCanceled; F&O keeps it. */
  markSalesOrderCanceled(salesOrder: SalesOrderSummary): Promise<void>;
  /**
   * The posted invoice of a sales order. After a signal it asks F&O directly; the slow safety
   * re-checks (`signalled: false`) go through an index shared by every waiting workflow.
   */
  findSalesInvoice(input: {
    salesOrderNumber: string;
    legalEntity: string;
    signalled: boolean;
  }): Promise<PostedInvoice | null>;
  /**
   * Creates the Field Service invoice with its details and marks the work order invoiced, in one change
   * set (once per invoice number); returns the invoice's id. `workOrderEtag` is the header ETag the
   * workflow last knew: when it still holds, no look-up for an earlier recording is needed.
   */
  recordInvoice(input: {
    workOrderNumber: string;
    workOrderId?: string;
    workOrderEtag?: string;
    invoice: PostedInvoice;
    atHand?: RowsAtHand;
  }): Promise<string>;
}
