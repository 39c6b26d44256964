import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { z } from 'zod';
import type {
  FinancePurchaseOrder,
  OwnedValues,
  PurchaseOrderActivities,
} from '../../activities/purchase-order/contract';
import { IntegrationFlow } from '../integration/integration-flow';
import { IntegrationStage, LegalEntity, PurchaseOrderNumber, VendorAccount } from '../search-attributes';
import * as messages from './messages';
import { financePurchaseOrderChangedSignal, purchaseOrderChangedSignal } from './messages';
import { Stage } from './stages';
import { type PurchaseOrderInput, purchaseOrderInputSchema, type PurchaseOrderState } from './state';

// Transient failures (throttling, 5xx, timeouts) retry without limit, backing off to 1 minute and
// honouring Retry-After; business failures are non-retryable and park the workflow in NeedsAttention.
const activities = proxyActivities<PurchaseOrderActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** How often a waiting workflow asks (a shared index of F&O's changes) in case no signal told it of one. */
const RECHECK_INTERVAL = '1 day';
/** F&O order statuses after which nothing more comes to Field Service. */
const FINISHED = new Set(['Received', 'Invoiced', 'Canceled']);

const sameValues = (a: Record<string, unknown> = {}, b: Record<string, unknown> = {}) =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((key) => a[key] === b[key]);

function sameOwnedValues(a: OwnedValues, b: OwnedValues): boolean {
  const lines = Object.keys(a.lines);
  return (
    sameValues(a.header, b.header) &&
    lines.length === Object.keys(b.lines).length &&
    lines.every((line) => sameValues(a.lines[line], b.lines[line]))
  );
}

/**
 * One Field Service purchase order and its F&O twin for as long as the order lives: written to F&O
 * when submitted (and while F&O's approval is Draft, each change), F&O's approval, statuses and prices
 * shown in Field Service, each posted product receipt recorded in Field Service once. Ends when F&O
 * has received everything or cancelled the order. Workflow ID `purchase-order-<number>`.
 */
export async function purchaseOrderSync(input: PurchaseOrderInput): Promise<PurchaseOrderState> {
  const flow = new IntegrationFlow<PurchaseOrderState>(
    input.resumeFrom ?? {
      purchaseOrderNumber: input.purchaseOrderNumber,
      legalEntity: input.legalEntity,
      stage: Stage.SyncingPurchaseOrder,
      waitingFor: 'the purchase order to be written to F&O',
      rejections: [],
      recordedReceipts: [],
      receiptNumbers: [],
    },
    `purchase order ${input.purchaseOrderNumber}`,
    messages,
  );
  const parsed = purchaseOrderInputSchema.safeParse(input);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
  const { state } = flow;
  const number = state.purchaseOrderNumber;
  // Signals are counted; a change is pending until a read after its signal has handled it.
  let fieldServiceChanges = 0;
  let financeChanges = 0;
  let fieldServiceHandled = 0;
  let financeHandled = 0;
  setHandler(purchaseOrderChangedSignal, () => void fieldServiceChanges++);
  setHandler(financePurchaseOrderChangedSignal, () => void financeChanges++);
  const fieldServicePending = () => fieldServiceChanges !== fieldServiceHandled;
  const financePending = () => financeChanges !== financeHandled;

  upsertSearchAttributes([
    { key: PurchaseOrderNumber, value: number },
    { key: LegalEntity, value: state.legalEntity },
    { key: IntegrationStage, value: state.stage },
    ...(state.vendorAccount ? [{ key: VendorAccount, value: state.vendorAccount }] : []),
  ]);

  /**
   * A step that, once it needs attention, also runs again when a change arrives after its last attempt
   * (an undone edit in Field Service, F&O back in Draft, a line added): changes already pending do not.
   */
  function stepOnChange<T>(stage: Stage, waitingFor: string, run: () => Promise<T>): Promise<T> {
    const changes = () => fieldServiceChanges + financeChanges;
    let seen = -1;
    return flow.step(
      stage,
      waitingFor,
      () => {
        seen = changes();
        return run();
      },
      () => changes() !== seen,
    );
  }

  /** Reads the Field Service order and brings F&O's up to date (refused once F&O has left Draft). */
  async function sync(): Promise<void> {
    await stepOnChange(Stage.SyncingPurchaseOrder, 'the purchase order to be written to F&O', async () => {
      fieldServiceHandled = fieldServiceChanges;
      const snapshot = await activities.loadPurchaseOrder(number);
      if (snapshot.vendorAccount && snapshot.vendorAccount !== state.vendorAccount) {
        state.vendorAccount = snapshot.vendorAccount;
        upsertSearchAttributes([{ key: VendorAccount, value: snapshot.vendorAccount }]);
      }
      // Unchanged since F&O was last told (e.g. the echo of the workflow's own write): nothing to send.
      if (state.synced && sameOwnedValues(snapshot.owned, state.synced)) return;
      await activities.syncPurchaseOrderToFinance(snapshot);
      state.synced = snapshot.owned;
    });
  }

  /** Reads F&O's order and shows it in Field Service, recording each new product receipt once. */
  async function follow(): Promise<void> {
    financeHandled = financeChanges;
    const order: FinancePurchaseOrder = await stepOnChange(
      Stage.UpdatingFieldService,
      "F&O's purchase order to be read",
      () => activities.readFinancePurchaseOrder(number),
    );
    state.synced = await stepOnChange(
      Stage.UpdatingFieldService,
      "F&O's approval, statuses and prices to be shown in Field Service",
      () => activities.updateFieldServicePurchaseOrder({ order, synced: state.synced! }),
    );
    for (const receipt of order.receipts) {
      if (state.recordedReceipts.includes(receipt.recordId)) continue;
      await stepOnChange(
        Stage.RecordingReceipt,
        `product receipt ${receipt.receiptNumber} to be recorded in Field Service`,
        () => activities.recordProductReceipt({ purchaseOrderNumber: number, receipt }),
      );
      state.recordedReceipts.push(receipt.recordId);
      state.receiptNumbers.push(receipt.receiptNumber);
    }
    state.finance = {
      approvalStatus: order.approvalStatus,
      orderStatus: order.orderStatus,
      totalAmount: order.totalAmount,
      lineCount: order.lines.length,
      modifiedOn: order.modifiedOn,
    };
  }

  function waitingStage(): [Stage, string] {
    const { approvalStatus } = state.finance!;
    if (approvalStatus === 'Draft' || approvalStatus === 'InReview')
      return [Stage.AwaitingFinanceApproval, `procurement to approve purchase order ${number} in F&O`];
    if (approvalStatus === 'Rejected')
      return [Stage.RejectedInFinance, `a change in F&O after procurement rejected purchase order ${number}`];
    return [Stage.AwaitingReceipt, `F&O to receive the products of purchase order ${number}`];
  }

  if (!state.finance) {
    await sync();
    await follow();
  }
  while (!FINISHED.has(state.finance!.orderStatus)) {
    const [stage, waitingFor] = waitingStage();
    flow.setStage(stage, waitingFor);
    const signalled = await condition(() => fieldServicePending() || financePending(), RECHECK_INTERVAL);
    if (!signalled) {
      const { modifiedOn } = state.finance!;
      const changed = await flow.step(stage, waitingFor, () =>
        activities.hasFinancePurchaseOrderChanged({ purchaseOrderNumber: number, modifiedOn }),
      );
      if (changed) financeChanges++;
    }
    if (fieldServicePending()) await sync();
    if (financePending()) await follow();
    const idle = !fieldServicePending() && !financePending();
    if (idle && !FINISHED.has(state.finance!.orderStatus) && workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof purchaseOrderSync>({ ...input, resumeFrom: state });
    }
  }
  const cancelled = state.finance!.orderStatus === 'Canceled';
  flow.setStage(
    cancelled ? Stage.Cancelled : Stage.Received,
    cancelled
      ? `nothing: F&O cancelled purchase order ${number}`
      : `nothing: F&O received purchase order ${number} (${state.receiptNumbers.join(', ')})`,
  );
  await condition(allHandlersFinished);
  return state;
}
