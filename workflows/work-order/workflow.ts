import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { z } from 'zod';
import type {
  PostedInvoice,
  WorkOrderActivities,
  WorkOrderSnapshot,
} from '../../activities/work-order/contract';
import { type Decision, IntegrationFlow } from '../integration/integration-flow';
import { Notices } from '../integration/notices';
import {
  CustomerAccount,
  IntegrationStage,
  LegalEntity,
  SalesOrderNumber,
  WorkOrderNumber,
} from '../search-attributes';
import * as messages from './messages';
import { invoicePostedSchema } from './messages';
import { Stage } from './stages';
import type { WorkOrderInput, WorkOrderState } from './state';

// Transient failures (throttling, 5xx, timeouts) retry without limit, backing off to 1 minute and
// honouring Retry-After; business failures are non-retryable and park the workflow in NeedsAttention.
const activities = proxyActivities<WorkOrderActivities>({
  startToCloseTimeout: '2 minutes',
  // Activities heartbeat while they run: a worker that dies mid-call is noticed in seconds.
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** How often a waiting workflow checks F&O itself, in case the watcher's signal never came. */
const INVOICE_RECHECK_INTERVAL = '1 day';

/** A read found the work order cancelled in Field Service before invoicing was approved. */
const CANCELED = 'canceled';
type Outcome = 'synced' | typeof CANCELED;

/**
 * One work order from Field Service to an invoiced F&O sales order and back: master data, sales
 * order, approval, a durable wait for the invoice, and the invoice recorded in Field Service.
 * Workflow ID `work-order-<work order number>`.
 */
export async function workOrderInvoicing(input: WorkOrderInput): Promise<WorkOrderState> {
  return new WorkOrderInvoicing(input).run();
}

class WorkOrderInvoicing {
  readonly #input: WorkOrderInput;
  readonly #flow: IntegrationFlow<WorkOrderState>;
  /** `workOrderChanged` from the watcher or webhook (also the echo of the workflow's own writes). */
  readonly #changes = new Notices();
  /** `resyncSalesOrder` from an operator: F&O's order may differ though the work order did not change. */
  readonly #resyncs = new Notices();
  /** `invoicePosted` from the invoice watcher. */
  readonly #postings = new Notices();
  /** Accounts and products (by Field Service id) this run has made sure of in F&O. */
  readonly #ensuredInFinance = new Set<string>();
  /** The work order as last read for a sync: what approval, rejection and closing act on. */
  #snapshot?: WorkOrderSnapshot;

  constructor(input: WorkOrderInput) {
    this.#input = input;
    this.#flow = new IntegrationFlow<WorkOrderState>(
      input.resumeFrom ?? {
        workOrderNumber: input.workOrderNumber,
        legalEntity: input.legalEntity,
        stage: Stage.SyncingMasterData,
        waitingFor: 'Field Service and F&O master data',
        rejections: [],
      },
      `work order ${input.workOrderNumber}`,
      messages,
      (state) => ({ ...input, resumeFrom: state }),
    );
    setHandler(messages.workOrderChangedSignal, () => this.#changes.receive());
    setHandler(messages.invoicePostedSignal, (args) => {
      const parsed = invoicePostedSchema.safeParse(args);
      if (parsed.success) this.#postings.receive();
      else log.warn('Ignored invalid invoicePosted signal', { error: z.prettifyError(parsed.error) });
    });
    setHandler(
      messages.resyncSalesOrderUpdate,
      () => {
        this.#resyncs.receive();
        return this.state;
      },
      { validator: () => this.#requireAwaitingApproval('resync') },
    );
    upsertSearchAttributes([
      { key: WorkOrderNumber, value: this.state.workOrderNumber },
      { key: LegalEntity, value: this.state.legalEntity },
      { key: IntegrationStage, value: this.state.stage },
    ]);
  }

  get state(): WorkOrderState {
    return this.#flow.state;
  }

  /** The business sequence; a run continued as new after approval starts at the wait for the invoice. */
  async run(): Promise<WorkOrderState> {
    if (!this.state.approval) {
      let outcome = await this.#syncSalesOrder();
      while (outcome === 'synced' && !this.state.approval) {
        const decision = await this.#awaitApproval();
        if (decision === 'rejected') outcome = await this.#returnToTechnician();
        else if (decision === 'interrupted') outcome = await this.#syncIfChanged();
      }
      if (outcome === CANCELED) return this.#endCanceled();
      await this.#closeWorkOrder();
    }
    const invoice = await this.#awaitInvoice();
    await this.#recordInvoice(invoice);
    return this.#end(Stage.Invoiced, 'nothing: the work order is invoiced');
  }

  /** SyncingMasterData, then CreatingSalesOrder: the F&O order written from the work order as it is now. */
  async #syncSalesOrder(afterClosing = false): Promise<Outcome> {
    this.#resyncs.handle();
    // Right after closing, the accounts and products were just ensured: the first read skips them.
    let reads = 0;
    const readWithMasterData = () => this.#readWithMasterData(afterClosing && reads++ === 0);
    // A change the watcher reports resumes a parked step like a retry: the data is usually fixed in Field Service.
    const changed = () => this.#changes.pending;
    const read = await this.#flow.step(
      Stage.SyncingMasterData,
      'Field Service and F&O master data',
      readWithMasterData,
      changed,
    );
    if (read === CANCELED) return CANCELED;
    let snapshot = read;
    let writes = 0;
    const written = await this.#flow.step(
      Stage.CreatingSalesOrder,
      'the F&O sales order to be written',
      async () => {
        if (writes++ > 0) {
          const reread = await readWithMasterData(); // a retry writes the work order as fixed since
          if (reread === CANCELED) return CANCELED;
          snapshot = reread;
        }
        return activities.upsertSalesOrder(snapshot);
      },
      changed,
    );
    if (written === CANCELED) return CANCELED;
    this.#snapshot = snapshot;
    this.state.salesOrder = written;
    this.state.syncedVersion = snapshot.version;
    upsertSearchAttributes([
      { key: SalesOrderNumber, value: written.salesOrderNumber },
      { key: CustomerAccount, value: written.customerAccount },
    ]);
    return 'synced';
  }

  /** The work order, eligible, with its accounts and products in F&O (unless `skipEnsured` and all were). */
  async #readWithMasterData(skipEnsured: boolean): Promise<WorkOrderSnapshot | typeof CANCELED> {
    const snapshot = await this.#read();
    if (snapshot === CANCELED) return CANCELED;
    if (snapshot.ineligibleReason)
      throw ApplicationFailure.nonRetryable(snapshot.ineligibleReason, 'NotEligible');
    const keys = [
      ...snapshot.records.accounts.map(({ record }) => `account ${String(record.accountid)}`),
      ...snapshot.records.products.map(({ record }) => `product ${String(record.productid)}`),
    ];
    if (skipEnsured && keys.every((key) => this.#ensuredInFinance.has(key))) return snapshot;
    await activities.ensureCustomers(snapshot);
    await activities.ensureReleasedProducts(snapshot);
    for (const key of keys) this.#ensuredInFinance.add(key);
    return snapshot;
  }

  /** Reads the work order, answering every change reported so far; before approval a cancellation ends the flow. */
  async #read(): Promise<WorkOrderSnapshot | typeof CANCELED> {
    this.#changes.handle();
    const snapshot = await activities.loadWorkOrder(this.state.workOrderNumber);
    return snapshot.canceled && !this.state.approval ? CANCELED : snapshot;
  }

  /** AwaitingApproval, unless the policy waives it; a change or a resync interrupts the wait. */
  #awaitApproval(): Promise<Decision> {
    return this.#flow.decide(
      this.#input.approvalPolicy,
      this.state.salesOrder!.totalAmount,
      () => this.#changes.pending || this.#resyncs.pending,
    );
  }

  /** Interrupted while awaiting approval: a resync writes the order again; a change only if it changed the work order. */
  async #syncIfChanged(): Promise<Outcome> {
    if (this.#resyncs.pending) return this.#syncSalesOrder();
    const current = await this.#flow.step(Stage.AwaitingApproval, 'the changed work order to be read', () =>
      this.#read(),
    );
    if (current === CANCELED) return CANCELED;
    return current.version === this.state.syncedVersion ? 'synced' : this.#syncSalesOrder();
  }

  /** Rejected: the work order goes back to the technician, and is synced again once they change it. */
  async #returnToTechnician(): Promise<Outcome> {
    const { reason } = this.#flow.lastRejection!;
    const returned = await this.#flow.step(
      Stage.Rejected,
      'the work order to go back to the technician',
      async () => {
        await activities.returnWorkOrderToTechnician({ snapshot: this.#snapshot!, reason });
        return activities.loadWorkOrder(this.state.workOrderNumber);
      },
    );
    // The watcher also reports the workflow's own return, which leaves the work order at `returned.version`.
    const waitingFor = `the technician to change the work order (rejected: ${reason})`;
    this.#flow.setStage(Stage.Rejected, waitingFor);
    for (;;) {
      await condition(() => this.#changes.pending);
      const current = await this.#flow.step(Stage.Rejected, waitingFor, () => this.#read());
      if (current === CANCELED) return CANCELED;
      if (current.version !== returned.version) return this.#syncSalesOrder();
    }
  }

  /** Approved: the work order is closed in Field Service, and the order then carries the used values only. */
  async #closeWorkOrder(): Promise<void> {
    await this.#flow.step(Stage.CreatingSalesOrder, 'the work order to be closed in Field Service', () =>
      activities.closeWorkOrder(this.#snapshot!),
    );
    await this.#syncSalesOrder(true);
  }

  /**
   * Cancelled before approval: F&O owns the order (Microsoft's template leaves it too), so it is only
   * marked ClosedCanceled for F&O users, who cancel it; nothing will be invoiced through this workflow.
   */
  async #endCanceled(): Promise<WorkOrderState> {
    const seenAt = new Date().toISOString();
    const order = this.state.salesOrder;
    if (order) {
      await this.#flow.step(
        Stage.Canceled,
        `F&O sales order ${order.salesOrderNumber} to be marked ClosedCanceled`,
        () => activities.markSalesOrderCanceled(order),
      );
    }
    this.state.cancellation = {
      seenAt,
      outcome: order
        ? `cancelled in Field Service before invoicing; F&O sales order ${order.salesOrderNumber} is left ` +
          'open with ExternalWorkOrderStatus ClosedCanceled, for F&O to cancel'
        : 'cancelled in Field Service before a sales order was written; F&O has no order of it',
    };
    return this.#end(Stage.Canceled, `nothing: the work order was ${this.state.cancellation.outcome}`);
  }

  /** AwaitingInvoice: told by the invoice watcher, or found by the daily re-check, for as long as it takes. */
  async #awaitInvoice(): Promise<PostedInvoice> {
    const { salesOrderNumber, legalEntity } = this.state.salesOrder!;
    this.#flow.setStage(Stage.AwaitingInvoice, this.#invoiceAwaited());
    for (;;) {
      const signalled = await condition(
        () => this.#postings.pending || this.#changes.pending,
        INVOICE_RECHECK_INTERVAL,
      );
      if (this.#changes.pending && !this.#postings.pending) {
        await this.#noteCancellation();
        continue;
      }
      this.#postings.handle();
      const invoice = await this.#flow.step(
        Stage.AwaitingInvoice,
        `F&O to post the invoice of ${salesOrderNumber}`,
        () => activities.findSalesInvoice({ salesOrderNumber, legalEntity, signalled }),
      );
      if (invoice !== null) return invoice;
      await this.#continueAsNewIfSuggested();
    }
  }

  /**
   * A change after approval: only a cancellation matters. F&O may already ship or invoice the order, and
   * an invoice it posts must still reach Field Service, so the workflow keeps waiting; it marks the order
   * ClosedCanceled for F&O users and records the cancellation.
   */
  async #noteCancellation(): Promise<void> {
    if (this.state.cancellation) {
      this.#changes.handle();
      return;
    }
    const { salesOrderNumber } = this.state.salesOrder!;
    const current = await this.#flow.step(Stage.AwaitingInvoice, 'the changed work order to be read', () =>
      this.#read(),
    );
    if (current !== CANCELED && current.canceled) {
      const seenAt = new Date().toISOString();
      await this.#flow.step(
        Stage.AwaitingInvoice,
        `F&O sales order ${salesOrderNumber} to be marked ClosedCanceled`,
        () => activities.markSalesOrderCanceled(this.state.salesOrder!),
      );
      this.state.cancellation = {
        seenAt,
        outcome:
          `cancelled in Field Service after invoicing was approved; F&O sales order ${salesOrderNumber} ` +
          'is marked ClosedCanceled and left to F&O; an invoice F&O still posts is recorded',
      };
    }
    this.#flow.setStage(Stage.AwaitingInvoice, this.#invoiceAwaited());
  }

  #invoiceAwaited(): string {
    return (
      `F&O to post the invoice of sales order ${this.state.salesOrder!.salesOrderNumber}` +
      (this.state.cancellation ? ' (the work order was cancelled in Field Service after approval)' : '')
    );
  }

  /** RecordingInvoice: the F&O invoice as a Field Service invoice, and the work order marked invoiced. */
  async #recordInvoice(invoice: PostedInvoice): Promise<void> {
    const { header: _header, lines: _lines, ...summary } = invoice;
    this.state.invoice = summary;
    await this.#flow.step(
      Stage.RecordingInvoice,
      `invoice ${invoice.invoiceNumber} to be recorded in Field Service`,
      async () => {
        const snapshot = await activities.loadWorkOrder(this.state.workOrderNumber);
        const fieldServiceInvoiceId = await activities.recordInvoice({ snapshot, invoice });
        this.state.invoice = { ...summary, fieldServiceInvoiceId };
        await activities.markWorkOrderInvoiced({ snapshot, invoice });
      },
    );
  }

  async #continueAsNewIfSuggested(): Promise<void> {
    if (!workflowInfo().continueAsNewSuggested) return;
    await this.#flow.continueAsNew();
  }

  async #end(stage: Stage, waitingFor: string): Promise<WorkOrderState> {
    this.#flow.setStage(stage, waitingFor);
    await condition(allHandlersFinished);
    return this.state;
  }

  #requireAwaitingApproval(action: string): void {
    if (this.state.stage !== Stage.AwaitingApproval) {
      throw ApplicationFailure.nonRetryable(
        `Cannot ${action}: work order ${this.state.workOrderNumber} is ${this.state.stage}, not ${Stage.AwaitingApproval}`,
        'WrongStage',
      );
    }
  }
}
