import type { SourceRecord } from '../../mappings/engine';

/**
 * A work order as read from Field Service, shaped for the mapping engine: the header and its lines
 * with the related records their field maps read, plus the accounts and products behind them (the
 * master data F&O needs first). Read once per sync; every later step works from it.
 */
export interface WorkOrderSnapshot {
  workOrderId: string;
  workOrderNumber: string;
  /** Changes whenever the header or a line changes. */
  version: string;
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

export interface PostedInvoice {
  invoiceNumber: string;
  invoiceDate: string;
  legalEntity: string;
  salesOrderNumber: string;
  currency: string;
  totalAmount: number;
  /** The F&O invoice header and lines as read, for the sales invoice mapping. */
  header: Record<string, unknown>;
  lines: Record<string, unknown>[];
}

/**
 * What the work order workflow asks of the outside world. Each activity is one idempotent call (or a
 * look-up by natural key and the write it decides), safe to retry after a crash at any point.
 */
export interface WorkOrderActivities {
  loadWorkOrder(workOrderNumber: string): Promise<WorkOrderSnapshot>;
  ensureCustomers(snapshot: WorkOrderSnapshot): Promise<void>;
  ensureReleasedProducts(snapshot: WorkOrderSnapshot): Promise<void>;
  upsertSalesOrder(snapshot: WorkOrderSnapshot): Promise<SalesOrderSummary>;
  /** Approval: the work order moves to Closed-Posted, after which only used values are invoiced. */
  closeWorkOrder(snapshot: WorkOrderSnapshot): Promise<void>;
  /** Rejection: the work order goes back to the technician (Open-In Progress). */
  returnWorkOrderToTechnician(input: { snapshot: WorkOrderSnapshot; reason: string }): Promise<void>;
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
  /** Creates the Field Service invoice with its details (once per invoice number); returns its id. */
  recordInvoice(input: { snapshot: WorkOrderSnapshot; invoice: PostedInvoice }): Promise<string>;
  /** Links the work order to its invoice, the mark that it is invoiced. */
  markWorkOrderInvoiced(input: { snapshot: WorkOrderSnapshot; invoice: PostedInvoice }): Promise<void>;
}
