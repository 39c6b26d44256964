import { ApplicationFailure } from '@temporalio/common';
import type {
  PostedInvoice,
  SalesOrderSummary,
  WorkOrderActivities,
  WorkOrderSnapshot,
} from '../../activities/work-order/contract';

/**
 * Field Service and F&O reduced to what the workflow's decisions depend on, so workflow tests can
 * assert outcomes (orders, invoices, statuses) without the HTTP stack. The activities' own tests and
 * the end-to-end tests cover the real calls.
 */
export class FakeSystems {
  version = 1;
  status: 'Completed' | 'InProgress' | 'ClosedPosted' | 'ClosedCanceled' = 'Completed';
  totalAmount = 500;
  /** A business problem in the work order's data, raised by loadWorkOrder until fixed. */
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
  /** A problem F&O refuses the sales order for (e.g. a negative quantity), raised by upsertSalesOrder until fixed. */
  orderProblem: string | undefined;
  /** Runs inside the next sales order write, e.g. to change the work order while it is written. */
  duringNextUpsert: (() => Promise<void>) | undefined;

  postInvoice(salesOrderNumber: string): PostedInvoice {
    const invoice: PostedInvoice = {
      invoiceNumber: `INV-${this.postedInvoices.length + 1}`,
      invoiceDate: '2026-11-25',
      legalEntity: 'usmf',
      salesOrderNumber,
      currency: 'USD',
      totalAmount: this.totalAmount,
      header: {},
      lines: [],
    };
    this.postedInvoices.push(invoice);
    return invoice;
  }

  activities(): WorkOrderActivities {
    const snapshotOf = (workOrderNumber: string): WorkOrderSnapshot => ({
      workOrderId: `id-${workOrderNumber}`,
      workOrderNumber,
      version: String(this.version),
      ...(this.status === 'ClosedCanceled' && {
        canceled: true,
        ineligibleReason: `Work order ${workOrderNumber} does not sync: it is Closed-Canceled`,
      }),
      records: { header: { record: {} }, lines: {}, accounts: [], products: [] },
    });
    return {
      loadWorkOrder: async (workOrderNumber) => {
        this.workOrderLoads++;
        if (this.dataProblem) throw ApplicationFailure.nonRetryable(this.dataProblem, 'MissingData');
        return snapshotOf(workOrderNumber);
      },
      ensureCustomers: async () => undefined,
      ensureReleasedProducts: async () => undefined,
      upsertSalesOrder: async (snapshot): Promise<SalesOrderSummary> => {
        const during = this.duringNextUpsert;
        this.duringNextUpsert = undefined;
        await during?.();
        if (this.orderProblem) throw ApplicationFailure.nonRetryable(this.orderProblem, 'InvalidWorkOrder');
        const existing = this.salesOrders.get(snapshot.workOrderNumber);
        this.salesOrders.set(snapshot.workOrderNumber, {
          version: Number(snapshot.version),
          writes: (existing?.writes ?? 0) + 1,
          status: this.status,
        });
        return {
          salesOrderNumber: snapshot.workOrderNumber,
          legalEntity: 'usmf',
          customerAccount: 'US-001',
          currency: 'USD',
          totalAmount: this.totalAmount,
          lineCount: 3,
        };
      },
      closeWorkOrder: async () => {
        this.status = 'ClosedPosted';
      },
      returnWorkOrderToTechnician: async ({ reason }) => {
        this.status = 'InProgress';
        this.returnedToTechnician.push(reason);
      },
      markSalesOrderCanceled: async ({ salesOrderNumber }) => {
        this.salesOrders.get(salesOrderNumber)!.status = 'ClosedCanceled';
      },
      findSalesInvoice: async ({ salesOrderNumber, signalled }) => {
        this.invoiceLookups++;
        this.invoiceLookupsSignalled.push(signalled);
        return this.postedInvoices.find((i) => i.salesOrderNumber === salesOrderNumber) ?? null;
      },
      recordInvoice: async ({ invoice }) => {
        const id = this.fieldServiceInvoices.get(invoice.invoiceNumber) ?? `fs-${invoice.invoiceNumber}`;
        this.fieldServiceInvoices.set(invoice.invoiceNumber, id);
        return id;
      },
      markWorkOrderInvoiced: async ({ snapshot }) => {
        this.invoicedWorkOrders.add(snapshot.workOrderNumber);
      },
    };
  }
}
