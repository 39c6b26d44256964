import type {
  Account,
  Product,
  WorkOrder,
  WorkOrderProduct,
  WorkOrderService,
} from '../../connectors/entities/dataverse';

/** A work order as read from Field Service in one request, with the records its lines refer to. */
export interface WorkOrderSnapshot {
  workOrderId: string;
  workOrderNumber: string;
  /** Changes whenever the header or a line changes; the workflow re-syncs when it moves. */
  version: string;
  /** Set when the mapping project's filters exclude this work order (e.g. Unscheduled, Canceled). */
  ineligibleReason?: string;
  records: {
    workOrder: WorkOrder;
    productLines: WorkOrderProduct[];
    serviceLines: WorkOrderService[];
    accounts: Account[];
    products: Product[];
  };
}

export interface SalesOrderSummary {
  salesOrderNumber: string;
  legalEntity: string;
  customerAccount: string;
  currency: string;
  totalAmount: number;
  lineCount: number;
}

export interface PostedInvoice {
  invoiceNumber: string;
  invoiceDate: string;
  legalEntity: string;
  salesOrderNumber: string;
  currency: string;
  totalAmount: number;
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
  /** Rejection: the work order goes back to the technician with the reason. */
  returnWorkOrderToTechnician(input: { snapshot: WorkOrderSnapshot; reason: string }): Promise<void>;
  findSalesInvoice(input: { salesOrderNumber: string; legalEntity: string }): Promise<PostedInvoice | null>;
  /** Creates the Field Service invoice with its details (once per invoice number); returns its id. */
  recordInvoice(input: { snapshot: WorkOrderSnapshot; invoice: PostedInvoice }): Promise<string>;
  markWorkOrderInvoiced(input: { snapshot: WorkOrderSnapshot; invoice: PostedInvoice }): Promise<void>;
}
