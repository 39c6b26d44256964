import {
  ActivityFailure,
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
  SyncOutcome,
  WorkOrderActivities,
  WorkOrderVersion,
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
import { ChangeNotices } from './etags';
import * as messages from './messages';
import { invoicePostedSchema, workOrderChangedSchema } from './messages';
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

/** Refusals of the sales order itself (not of the work order's data or master data): parked as CreatingSalesOrder. */
const ORDER_REFUSALS = new Set([
  'InvalidWorkOrder',
  'ImplausibleSalesOrder',
  'ForeignSalesOrder',
  'DeliveredLineChanged',
  'SalesOrderRefused',
]);
const isOrderRefusal = (err: unknown) =>
  err instanceof ActivityFailure &&
  err.cause instanceof ApplicationFailure &&
  ORDER_REFUSALS.has(err.cause.type ?? '');

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
  /** `workOrderChanged` from the watcher or webhook, but for the echoes of the workflow's own writes. */
  readonly #changes = new ChangeNotices(() => this.state.workOrder?.etag);
  /** `resyncSalesOrder` from an operator: F&O's order may differ though the work order did not change. */
  readonly #resyncs = new Notices();
  /** `invoicePosted` from the invoice watcher. */
  readonly #postings = new Notices();

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
      { command: 'work-order', document: input.workOrderNumber },
      input.approvers,
    );
    setHandler(messages.workOrderChangedSignal, (notice) => {
      const parsed = workOrderChangedSchema.safeParse(notice);
      if (!parsed.success)
        log.warn('Read invalid workOrderChanged signal as a change', {
          error: z.prettifyError(parsed.error),
        });
      // A notice of the version the workflow last read or wrote (its own close, say) is no news: no read.
      this.#changes.receive(parsed.data?.etag);
    });
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

  /**
   * SyncingMasterData: the F&O order written from the work order as it is now, in one activity that reads,
   * makes sure of the master data and writes. A refusal of the order itself parks it as CreatingSalesOrder.
   */
  async #syncSalesOrder(): Promise<Outcome> {
    this.#resyncs.handle();
    // A change the watcher reports resumes a parked step like a retry: the data is usually fixed in Field Service.
    const changed = () => this.#changes.pending;
    let refusal: unknown;
    const synced = await this.#flow.step(
      Stage.SyncingMasterData,
      'Field Service and F&O master data',
      () =>
        this.#sync().catch((err: unknown) => {
          if (!isOrderRefusal(err)) throw err;
          refusal = err;
          return undefined;
        }),
      changed,
    );
    const outcome =
      synced ??
      (await this.#flow.step(
        Stage.CreatingSalesOrder,
        'the F&O sales order to be written',
        async () => {
          const refused = refusal;
          refusal = undefined;
          if (refused !== undefined) throw refused; // parks with the refusal; a retry writes the work order as fixed
          return this.#sync();
        },
        changed,
      ));
    const { workOrder, salesOrder, atHand } = outcome;
    if (salesOrder === undefined) return CANCELED;
    if (
      salesOrder.salesOrderNumber !== this.state.salesOrder?.salesOrderNumber ||
      salesOrder.customerAccount !== this.state.salesOrder.customerAccount
    ) {
      upsertSearchAttributes([
        { key: SalesOrderNumber, value: salesOrder.salesOrderNumber },
        { key: CustomerAccount, value: salesOrder.customerAccount },
      ]);
    }
    Object.assign(this.state, { salesOrder, syncedVersion: workOrder.version, atHand });
    return 'synced';
  }

  /** One sync, answering every change reported so far; it reports the version it read. */
  async #sync(): Promise<SyncOutcome> {
    this.#changes.handle();
    const outcome = await activities.syncSalesOrder({
      workOrderNumber: this.state.workOrderNumber,
      approved: this.state.approval !== undefined,
    });
    this.state.workOrder = outcome.workOrder;
    return outcome;
  }

  /** The work order's version, answering every change reported so far. */
  async #readVersion(): Promise<WorkOrderVersion> {
    this.#changes.handle();
    this.state.workOrder = await activities.readWorkOrderVersion(this.state.workOrderNumber);
    return this.state.workOrder;
  }

  /** AwaitingApproval, unless the policy waives it; a change or a resync interrupts the wait. */
  #awaitApproval(): Promise<Decision> {
    return this.#flow.decide(
      this.#input.approvalPolicy,
      this.state.salesOrder!.totalAmount,
      () => this.#changes.pending || this.#resyncs.pending,
      this.#input.approvalReminderAfterMs,
    );
  }

  /** Interrupted while awaiting approval: a resync writes the order again; a change only if it changed the work order. */
  async #syncIfChanged(): Promise<Outcome> {
    if (this.#resyncs.pending) return this.#syncSalesOrder();
    const current = await this.#flow.step(Stage.AwaitingApproval, 'the changed work order to be read', () =>
      this.#readVersion(),
    );
    if (current.canceled) return CANCELED;
    return current.version === this.state.syncedVersion ? 'synced' : this.#syncSalesOrder();
  }

  /** Rejected: the work order goes back to the technician, and is synced again once they change it. */
  async #returnToTechnician(): Promise<Outcome> {
    const { reason } = this.#flow.lastRejection!;
    const { workOrderNumber, workOrder } = this.state;
    const returned = await this.#flow.step(
      Stage.Rejected,
      'the work order to go back to the technician',
      () =>
        activities.returnWorkOrderToTechnician({
          workOrderNumber,
          workOrderId: workOrder!.workOrderId,
          reason,
        }),
    );
    // The watcher also reports the workflow's own return: a notice of `returned.etag` is then no news.
    this.state.workOrder = returned;
    const waitingFor = `the technician to change the work order (rejected: ${reason})`;
    this.#flow.setStage(Stage.Rejected, waitingFor);
    for (;;) {
      await condition(() => this.#changes.pending);
      const current = await this.#flow.step(Stage.Rejected, waitingFor, () => this.#readVersion());
      if (current.canceled) return CANCELED;
      if (current.version !== returned.version) return this.#syncSalesOrder();
    }
  }

  /** Approved: the work order is closed in Field Service, and the order then carries the used values only. */
  async #closeWorkOrder(): Promise<void> {
    const { workOrderNumber, workOrder } = this.state;
    const { workOrderId, etag } = workOrder!;
    const closed = await this.#flow.step(
      Stage.CreatingSalesOrder,
      'the work order to be closed in Field Service',
      () => activities.closeWorkOrder({ workOrderNumber, workOrderId, etag }),
    );
    // Known before the watcher reports the close, which is then no news.
    this.state.workOrder = { ...workOrder!, etag: closed };
    await this.#syncSalesOrder();
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
      this.#readVersion(),
    );
    if (current.canceled) {
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
    this.state.invoice = invoice;
    const { workOrderNumber, workOrder, atHand } = this.state;
    await this.#flow.step(
      Stage.RecordingInvoice,
      `invoice ${invoice.invoiceNumber} to be recorded in Field Service`,
      async () => {
        const fieldServiceInvoiceId = await activities.recordInvoice({
          workOrderNumber,
          workOrderId: workOrder?.workOrderId,
          workOrderEtag: workOrder?.etag,
          invoice,
          atHand,
        });
        this.state.invoice = { ...invoice, fieldServiceInvoiceId };
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
