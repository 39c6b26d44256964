import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
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
import { IntegrationFlow } from '../integration/integration-flow';
import {
  CustomerAccount,
  IntegrationStage,
  LegalEntity,
  SalesOrderNumber,
  WorkOrderNumber,
} from '../search-attributes';
import * as messages from './messages';
import {
  type InvoicePosted,
  invoicePostedSchema,
  invoicePostedSignal,
  resyncSalesOrderUpdate,
  workOrderChangedSignal,
} from './messages';
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

/**
 * A reported change is cleared when the work order is read, not when a wait begins: a change while
 * parked in NeedsAttention starts one attempt (histories without this marker retried until the data
 * was fixed, a hot loop), and a change reported while the order is being written is not lost.
 */
const CHANGE_CLEARED_ON_READ = 'work-order-change-cleared-on-read';
/** Histories without this marker retried a failed sales order write with the work order read before. */
const ORDER_RETRY_REREADS = 'work-order-order-retry-rereads';
/**
 * Histories without this marker parked a work order cancelled in Field Service before approval in
 * NeedsAttention (not eligible) for good; with it, the F&O order is marked and the workflow ends Canceled.
 */
const CANCELED_BEFORE_APPROVAL = 'work-order-canceled-before-approval';
/** Histories without this marker did not read the work order on a change reported while awaiting the invoice. */
const CHANGES_READ_AWAITING_INVOICE = 'work-order-changes-read-awaiting-invoice';

/** A read before approval found the work order Closed-Canceled: ends the approval loop. */
class WorkOrderCanceled extends Error {}

/** The accounts and products a snapshot needs in F&O. */
function masterDataKeys(snapshot: WorkOrderSnapshot): string[] {
  return [
    ...snapshot.records.accounts.map(({ record }) => `account ${String(record.accountid)}`),
    ...snapshot.records.products.map(({ record }) => `product ${String(record.productid)}`),
  ];
}

/**
 * One work order from Field Service to an invoiced F&O sales order and back: master data, sales
 * order, approval, a durable wait for the invoice, and the invoice recorded in Field Service.
 * Workflow ID `work-order-<work order number>`.
 */
export async function workOrderInvoicing(input: WorkOrderInput): Promise<WorkOrderState> {
  const flow = new IntegrationFlow<WorkOrderState>(
    input.resumeFrom ?? {
      workOrderNumber: input.workOrderNumber,
      legalEntity: input.legalEntity,
      stage: Stage.SyncingMasterData,
      waitingFor: 'Field Service and F&O master data',
      rejections: [],
    },
    `work order ${input.workOrderNumber}`,
    messages,
  );
  const { state } = flow;
  let workOrderChanged = false;
  let resyncRequested = false;
  let invoiceHint: InvoicePosted | undefined;
  setHandler(workOrderChangedSignal, () => {
    workOrderChanged = true;
  });
  setHandler(
    resyncSalesOrderUpdate,
    () => {
      resyncRequested = true;
      return state;
    },
    {
      validator: () => {
        if (state.stage !== Stage.AwaitingApproval) {
          throw ApplicationFailure.nonRetryable(
            `Cannot resync: work order ${state.workOrderNumber} is ${state.stage}, not ${Stage.AwaitingApproval}`,
            'WrongStage',
          );
        }
      },
    },
  );
  setHandler(invoicePostedSignal, (args) => {
    const parsed = invoicePostedSchema.safeParse(args);
    if (parsed.success) invoiceHint = parsed.data;
    else log.warn('Ignored invalid invoicePosted signal', { error: z.prettifyError(parsed.error) });
  });

  /** Reads the work order; one cancelled in Field Service before approval ends the approval loop. */
  async function readWorkOrder(): Promise<WorkOrderSnapshot> {
    const snapshot = await activities.loadWorkOrder(state.workOrderNumber);
    if (snapshot.canceled && !state.approval && patched(CANCELED_BEFORE_APPROVAL))
      throw new WorkOrderCanceled();
    return snapshot;
  }

  /** Accounts and products (by Field Service id) this run made sure of in F&O. */
  const ensuredInFinance = new Set<string>();

  /**
   * `afterClosing`: the re-sync right after closing the work order, whose accounts and products were
   * just ensured; its first attempt skips them (a retry after a failure ensures them again).
   */
  async function syncSalesOrder(afterClosing = false): Promise<WorkOrderSnapshot> {
    workOrderChanged = false;
    resyncRequested = false;
    let firstAttempt = true;
    const readAndEnsureMasterData = async () => {
      if (patched(CHANGE_CLEARED_ON_READ)) workOrderChanged = false;
      const loaded = await readWorkOrder();
      if (loaded.ineligibleReason)
        throw ApplicationFailure.nonRetryable(loaded.ineligibleReason, 'NotEligible');
      const keys = masterDataKeys(loaded);
      const ensured = afterClosing && firstAttempt && keys.every((key) => ensuredInFinance.has(key));
      firstAttempt = false;
      if (!(ensured && patched('skip-master-data-ensured-before-closing'))) {
        await activities.ensureCustomers(loaded);
        await activities.ensureReleasedProducts(loaded);
        for (const key of keys) ensuredInFinance.add(key);
      }
      return loaded;
    };
    let snapshot = await flow.step(
      Stage.SyncingMasterData,
      'Field Service and F&O master data',
      readAndEnsureMasterData,
      () => workOrderChanged, // e.g. a work order that was not eligible has been scheduled
    );
    // The work order is usually fixed in Field Service (a quantity, an account), so an attempt after a
    // failed write reads it again, and a change the watcher reports resumes the step like a retry.
    const rereadOnRetry = patched(ORDER_RETRY_REREADS);
    let writeAttempts = 0;
    state.salesOrder = await flow.step(
      Stage.CreatingSalesOrder,
      'the F&O sales order to be written',
      async () => {
        if (writeAttempts++ > 0 && rereadOnRetry) snapshot = await readAndEnsureMasterData();
        return activities.upsertSalesOrder(snapshot);
      },
      () => rereadOnRetry && workOrderChanged,
    );
    state.syncedVersion = snapshot.version;
    upsertSearchAttributes([
      { key: SalesOrderNumber, value: state.salesOrder.salesOrderNumber },
      { key: CustomerAccount, value: state.salesOrder.customerAccount },
    ]);
    return snapshot;
  }

  /**
   * Waits, rejected, for the technician's change: the watcher also reports the change the workflow
   * made itself (returning the work order), which leaves the work order at `version`.
   */
  async function changedSince(version: string, waitingFor: string): Promise<void> {
    flow.setStage(Stage.Rejected, waitingFor);
    for (;;) {
      await condition(() => workOrderChanged);
      workOrderChanged = false;
      const current = await flow.step(Stage.Rejected, waitingFor, readWorkOrder);
      if (current.version !== version) return;
    }
  }

  upsertSearchAttributes([
    { key: WorkOrderNumber, value: state.workOrderNumber },
    { key: LegalEntity, value: state.legalEntity },
    { key: IntegrationStage, value: state.stage },
  ]);

  /** Sync, approval (asked again after every change or rejection), then the work order closed and synced. */
  async function approveAndClose(): Promise<void> {
    let snapshot = await syncSalesOrder();
    for (;;) {
      if (!patched(CHANGE_CLEARED_ON_READ)) workOrderChanged = false;
      const decision = await flow.decide(
        input.approvalPolicy,
        state.salesOrder!.totalAmount,
        () => workOrderChanged || resyncRequested,
      );
      if (decision === 'approved') break;
      if (decision === 'rejected') {
        const { reason } = flow.lastRejection!;
        const returned = await flow.step(
          Stage.Rejected,
          'the work order to go back to the technician',
          async () => {
            await activities.returnWorkOrderToTechnician({ snapshot, reason });
            return activities.loadWorkOrder(state.workOrderNumber);
          },
        );
        await changedSince(returned.version, `the technician to change the work order (rejected: ${reason})`);
        snapshot = await syncSalesOrder();
      } else if (resyncRequested) {
        snapshot = await syncSalesOrder(); // F&O's order may differ though the work order did not change
      } else {
        workOrderChanged = false;
        const current = await flow.step(
          Stage.AwaitingApproval,
          'the changed work order to be read',
          readWorkOrder,
        );
        if (current.version !== state.syncedVersion) snapshot = await syncSalesOrder();
      }
    }
    await flow.step(Stage.CreatingSalesOrder, 'the work order to be closed in Field Service', () =>
      activities.closeWorkOrder(snapshot),
    );
    await syncSalesOrder(true); // Closed-Posted: the order now carries the used values only.
  }

  /**
   * Cancelled before approval: F&O owns the order (Microsoft's template leaves it too), so it is only
   * marked ClosedCanceled for F&O users, who cancel it; nothing will be invoiced through this workflow.
   */
  async function endCanceled(): Promise<WorkOrderState> {
    const seenAt = new Date().toISOString();
    const order = state.salesOrder;
    if (order) {
      await flow.step(
        Stage.Canceled,
        `F&O sales order ${order.salesOrderNumber} to be marked ClosedCanceled`,
        () => activities.markSalesOrderCanceled(order),
      );
    }
    state.cancellation = {
      seenAt,
      outcome: order
        ? `cancelled in Field Service before invoicing; F&O sales order ${order.salesOrderNumber} is left ` +
          'open with ExternalWorkOrderStatus ClosedCanceled, for F&O to cancel'
        : 'cancelled in Field Service before a sales order was written; F&O has no order of it',
    };
    flow.setStage(Stage.Canceled, `nothing: the work order was ${state.cancellation.outcome}`);
    await condition(allHandlersFinished);
    return state;
  }

  if (!state.approval) {
    try {
      await approveAndClose();
    } catch (err) {
      if (!(err instanceof WorkOrderCanceled)) throw err;
      return endCanceled();
    }
  }

  const { salesOrderNumber, legalEntity } = state.salesOrder!;
  const invoiceAwaited = () =>
    `F&O to post the invoice of sales order ${salesOrderNumber}` +
    (state.cancellation ? ' (the work order was cancelled in Field Service after approval)' : '');

  /**
   * Cancelled after approval: F&O may already ship or invoice the order, and an invoice it posts must
   * still reach Field Service, so the workflow keeps waiting; it marks the order ClosedCanceled for F&O
   * users and records the cancellation.
   */
  async function noteCancellation(): Promise<void> {
    workOrderChanged = false;
    if (state.cancellation) return;
    const current = await flow.step(Stage.AwaitingInvoice, 'the changed work order to be read', () =>
      activities.loadWorkOrder(state.workOrderNumber),
    );
    if (current.canceled) {
      const seenAt = new Date().toISOString();
      await flow.step(
        Stage.AwaitingInvoice,
        `F&O sales order ${salesOrderNumber} to be marked ClosedCanceled`,
        () => activities.markSalesOrderCanceled(state.salesOrder!),
      );
      state.cancellation = {
        seenAt,
        outcome:
          `cancelled in Field Service after invoicing was approved; F&O sales order ${salesOrderNumber} ` +
          'is marked ClosedCanceled and left to F&O; an invoice F&O still posts is recorded',
      };
    }
    flow.setStage(Stage.AwaitingInvoice, invoiceAwaited());
  }

  let invoice: PostedInvoice | null = null;
  flow.setStage(Stage.AwaitingInvoice, invoiceAwaited());
  while (invoice === null) {
    const readChanges = patched(CHANGES_READ_AWAITING_INVOICE);
    const signalled = await condition(
      () => invoiceHint !== undefined || (readChanges && workOrderChanged),
      INVOICE_RECHECK_INTERVAL,
    );
    if (readChanges && workOrderChanged && invoiceHint === undefined) {
      await noteCancellation();
      continue;
    }
    invoiceHint = undefined;
    invoice = await flow.step(Stage.AwaitingInvoice, `F&O to post the invoice of ${salesOrderNumber}`, () =>
      activities.findSalesInvoice({ salesOrderNumber, legalEntity, signalled }),
    );
    if (invoice === null && workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof workOrderInvoicing>({ ...input, resumeFrom: state });
    }
  }

  const { header: _header, lines: _lines, ...summary } = invoice;
  state.invoice = summary;
  const posted = invoice;
  await flow.step(
    Stage.RecordingInvoice,
    `invoice ${posted.invoiceNumber} to be recorded in Field Service`,
    async () => {
      const snapshot = await activities.loadWorkOrder(state.workOrderNumber);
      state.invoice = {
        ...summary,
        fieldServiceInvoiceId: await activities.recordInvoice({ snapshot, invoice: posted }),
      };
      await activities.markWorkOrderInvoiced({ snapshot, invoice: posted });
    },
  );
  flow.setStage(Stage.Invoiced, 'nothing: the work order is invoiced');
  await condition(allHandlersFinished);
  return state;
}
