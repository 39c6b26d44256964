import { ApplicationFailure } from '@temporalio/common';
import type { NotificationActivities, OperatorNotice } from '../../activities/notifications/contract';
import type {
  PostedInvoice,
  SalesOrderSummary,
  WorkOrderActivities,
  WorkOrderVersion,
} from '../../activities/work-order/contract';

/**
 * Field Service and F&O reduced to what the workflow's decisions depend on, so workflow tests can
 * assert outcomes (orders, invoices, statuses) without the HTTP stack. The activities' own tests and
 * the end-to-end tests cover the real calls.
 */
export class FakeSystems {
  version = 1;
  /** What the workflow told operators, in order. */
  readonly notices: OperatorNotice[] = [];
  status: 'Completed' | 'InProgress' | 'ClosedPosted' | 'ClosedCanceled' = 'Completed';
  totalAmount = 500;
  /** A business problem in the work order's data, raised by syncSalesOrder until fixed. */
  dataProblem: string | undefined;
  /** `status`: the work order's when last written, or ClosedCanceled once marked cancelled. */
  readonly salesOrders = new Map<string, { version: number; writes: number; status: string }>();
  readonly postedInvoices: PostedInvoice[] = [];
  readonly fieldServiceInvoices = new Map<string, string>();
  invoicedWorkOrders = new Set<string>();
  returnedToTechnician: string[] = [];
  invoiceLookups = 0;
  /** `signalled` of every invoice look-up: false for the slow re-checks, which go through the shared index. */
  readonly invoiceLookupsSignalled: boolean[] = [];
  workOrderLoads = 0;
  /** A problem F&O refuses the sales order for (e.g. a negative quantity), raised by syncSalesOrder until fixed. */
  orderProblem: string | undefined;
  /** Runs inside the next sales order write, e.g. to change the work order while it is written. */
  duringNextUpsert: (() => Promise<void>) | undefined;

  /** Writes to the work order's status (closing, returning): each moves its ETag. */
  statusWrites = 0;

  /** The header's ETag: moves with the version and with every status write. */
  get etag(): string {
    return `W/"${this.version * 100 + this.statusWrites}"`;
  }

  postInvoice(salesOrderNumber: string): PostedInvoice {
    const invoice: PostedInvoice = {
      invoiceNumber: `INV-${this.postedInvoices.length + 1}`,
      invoiceDate: '2026-11-25',
      legalEntity: 'usmf',
      salesOrderNumber,
      currency: 'USD',
      totalAmount: this.totalAmount,
    };
    this.postedInvoices.push(invoice);
    return invoice;
  }

  activities(): WorkOrderActivities & Pick<NotificationActivities, 'notifyOperators'> {
    const versionOf = (workOrderNumber: string): WorkOrderVersion => ({
      workOrderId: `id-${workOrderNumber}`,
      version: String(this.version),
      etag: this.etag,
      canceled: this.status === 'ClosedCanceled',
    });
    return {
      notifyOperators: async (notice) => {
        this.notices.push(notice);
        return { delivered: [] };
      },
      syncSalesOrder: async ({ workOrderNumber, approved }) => {
        this.workOrderLoads++;
        if (this.dataProblem) throw ApplicationFailure.nonRetryable(this.dataProblem, 'MissingData');
        const workOrder = versionOf(workOrderNumber);
        if (workOrder.canceled) {
          if (!approved) return { workOrder };
          throw ApplicationFailure.nonRetryable(
            `Work order ${workOrderNumber} does not sync: it is Closed-Canceled`,
            'NotEligible',
          );
        }
        const during = this.duringNextUpsert;
        this.duringNextUpsert = undefined;
        await during?.();
        if (this.orderProblem) throw ApplicationFailure.nonRetryable(this.orderProblem, 'InvalidWorkOrder');
        const existing = this.salesOrders.get(workOrderNumber);
        this.salesOrders.set(workOrderNumber, {
          version: Number(workOrder.version),
          writes: (existing?.writes ?? 0) + 1,
          status: this.status,
        });
        const salesOrder: SalesOrderSummary = {
          salesOrderNumber: workOrderNumber,
          legalEntity: 'usmf',
          customerAccount: 'US-001',
          currency: 'USD',
          totalAmount: this.totalAmount,
          lineCount: 3,
        };
        return { workOrder, salesOrder };
      },
      readWorkOrderVersion: async (workOrderNumber) => {
        this.workOrderLoads++;
        return versionOf(workOrderNumber);
      },
      closeWorkOrder: async () => {
        this.status = 'ClosedPosted';
        this.statusWrites++;
        return this.etag;
      },
      returnWorkOrderToTechnician: async ({ workOrderNumber, reason }) => {
        this.status = 'InProgress';
        this.statusWrites++;
        this.returnedToTechnician.push(reason);
        return versionOf(workOrderNumber);
      },
      markSalesOrderCanceled: async ({ salesOrderNumber }) => {
        this.salesOrders.get(salesOrderNumber)!.status = 'ClosedCanceled';
      },
      findSalesInvoice: async ({ salesOrderNumber, signalled }) => {
        this.invoiceLookups++;
        this.invoiceLookupsSignalled.push(signalled);
        return this.postedInvoices.find((i) => i.salesOrderNumber === salesOrderNumber) ?? null;
      },
      recordInvoice: async ({ workOrderNumber, invoice }) => {
        const id = this.fieldServiceInvoices.get(invoice.invoiceNumber) ?? `fs-${invoice.invoiceNumber}`;
        this.fieldServiceInvoices.set(invoice.invoiceNumber, id);
        this.invoicedWorkOrders.add(workOrderNumber);
        return id;
      },
    };
  }
}
