import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { z } from 'zod';
import type { OwnedValues, PurchaseOrderActivities } from '../../activities/purchase-order/contract';
import { IntegrationFlow } from '../integration/integration-flow';
import { Notices } from '../integration/notices';
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

/** Where F&O's order leaves the workflow: waiting for procurement or the products, or at its end. */
type WaitingStage =
  typeof Stage.AwaitingFinanceApproval | typeof Stage.RejectedInFinance | typeof Stage.AwaitingReceipt;
type EndStage = typeof Stage.Received | typeof Stage.Canceled;
const isEnd = (stage: WaitingStage | EndStage): stage is EndStage =>
  stage === Stage.Received || stage === Stage.Canceled;

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
  return new PurchaseOrderSync(input).run();
}

class PurchaseOrderSync {
  readonly #flow: IntegrationFlow<PurchaseOrderState>;
  readonly #fieldServiceChanges = new Notices();
  readonly #financeChanges = new Notices();

  constructor(input: PurchaseOrderInput) {
    const parsed = purchaseOrderInputSchema.safeParse(input);
    if (!parsed.success) throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
    this.#flow = new IntegrationFlow<PurchaseOrderState>(
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
      (state) => ({ ...input, resumeFrom: state }),
      { command: 'purchase-order', document: input.purchaseOrderNumber },
    );
    setHandler(purchaseOrderChangedSignal, () => this.#fieldServiceChanges.receive());
    setHandler(financePurchaseOrderChangedSignal, () => this.#financeChanges.receive());
    const { state } = this.#flow;
    upsertSearchAttributes([
      { key: PurchaseOrderNumber, value: state.purchaseOrderNumber },
      { key: LegalEntity, value: state.legalEntity },
      { key: IntegrationStage, value: state.stage },
      ...(state.vendorAccount ? [{ key: VendorAccount, value: state.vendorAccount }] : []),
    ]);
  }

  /** The order's life, top to bottom: written to F&O, then each change either way until F&O ends it. */
  async run(): Promise<PurchaseOrderState> {
    if (!this.#state.finance) {
      await this.#writeToFinance();
      await this.#showFinanceInFieldService();
    }
    let stage = this.#financeStage();
    while (!isEnd(stage)) {
      await this.#continueAsNewIfSuggested();
      await this.#waitForChange(stage);
      if (this.#fieldServiceChanges.pending) await this.#writeToFinance();
      if (this.#financeChanges.pending) await this.#showFinanceInFieldService();
      stage = this.#financeStage();
    }
    return this.#end(stage);
  }

  get #state(): PurchaseOrderState {
    return this.#flow.state;
  }

  get #number(): string {
    return this.#state.purchaseOrderNumber;
  }

  /** A change on either side was reported and not yet read. */
  get #reported(): boolean {
    return this.#fieldServiceChanges.pending || this.#financeChanges.pending;
  }

  /** Reads the Field Service order and brings F&O's up to date (refused once F&O has left Draft). */
  async #writeToFinance(): Promise<void> {
    const state = this.#state;
    await this.#stepOnChange(
      Stage.SyncingPurchaseOrder,
      'the purchase order to be written to F&O',
      async () => {
        this.#fieldServiceChanges.handle();
        const snapshot = await activities.loadPurchaseOrder(this.#number);
        if (snapshot.vendorAccount && snapshot.vendorAccount !== state.vendorAccount) {
          state.vendorAccount = snapshot.vendorAccount;
          upsertSearchAttributes([{ key: VendorAccount, value: snapshot.vendorAccount }]);
        }
        // Unchanged since F&O was last told (e.g. the echo of the workflow's own write): nothing to send.
        if (state.synced && sameOwnedValues(snapshot.owned, state.synced)) return;
        await activities.syncPurchaseOrderToFinance(snapshot);
        state.synced = snapshot.owned;
      },
    );
  }

  /** Reads F&O's order and shows it in Field Service, recording each new product receipt once. */
  async #showFinanceInFieldService(): Promise<void> {
    const state = this.#state;
    const order = await this.#stepOnChange(
      Stage.UpdatingFieldService,
      "F&O's purchase order to be read",
      () => {
        this.#financeChanges.handle();
        return activities.readFinancePurchaseOrder(this.#number);
      },
    );
    state.synced = await this.#stepOnChange(
      Stage.UpdatingFieldService,
      "F&O's approval, statuses and prices to be shown in Field Service",
      () => activities.updateFieldServicePurchaseOrder({ order, synced: state.synced! }),
    );
    for (const receipt of order.receipts) {
      if (state.recordedReceipts.includes(receipt.recordId)) continue;
      await this.#stepOnChange(
        Stage.RecordingReceipt,
        `product receipt ${receipt.receiptNumber} to be recorded in Field Service`,
        () => activities.recordProductReceipt({ purchaseOrderNumber: this.#number, receipt }),
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

  /** Where F&O's order, as last read, leaves the workflow. */
  #financeStage(): WaitingStage | EndStage {
    const { approvalStatus, orderStatus } = this.#state.finance!;
    if (orderStatus === 'Canceled') return Stage.Canceled;
    // Invoiced comes after Received: nothing more comes to Field Service either way.
    if (orderStatus === 'Received' || orderStatus === 'Invoiced') return Stage.Received;
    if (approvalStatus === 'Draft' || approvalStatus === 'InReview') return Stage.AwaitingFinanceApproval;
    if (approvalStatus === 'Rejected') return Stage.RejectedInFinance;
    return Stage.AwaitingReceipt;
  }

  /** Only between notices: one already reported would be lost with the history. */
  async #continueAsNewIfSuggested(): Promise<void> {
    if (this.#reported || !workflowInfo().continueAsNewSuggested) return;
    await this.#flow.continueAsNew();
  }

  /** Waits for a signal of a change on either side; after a day without one, asks F&O whether it changed. */
  async #waitForChange(stage: WaitingStage): Promise<void> {
    const waitingFor = {
      [Stage.AwaitingFinanceApproval]: `procurement to approve purchase order ${this.#number} in F&O`,
      [Stage.RejectedInFinance]: `a change in F&O after procurement rejected purchase order ${this.#number}`,
      [Stage.AwaitingReceipt]: `F&O to receive the products of purchase order ${this.#number}`,
    }[stage];
    this.#flow.setStage(stage, waitingFor);
    const signalled = await condition(() => this.#reported, RECHECK_INTERVAL);
    if (signalled) return;
    const { modifiedOn } = this.#state.finance!;
    const changed = await this.#flow.step(stage, waitingFor, () =>
      activities.hasFinancePurchaseOrderChanged({ purchaseOrderNumber: this.#number, modifiedOn }),
    );
    if (changed) this.#financeChanges.receive();
  }

  /** F&O received everything or cancelled the order: nothing more comes to Field Service. */
  async #end(stage: EndStage): Promise<PurchaseOrderState> {
    const number = this.#number;
    this.#flow.setStage(
      stage,
      stage === Stage.Canceled
        ? `nothing: F&O cancelled purchase order ${number}`
        : `nothing: F&O received purchase order ${number} (${this.#state.receiptNumbers.join(', ')})`,
    );
    await condition(allHandlersFinished);
    return this.#state;
  }

  /**
   * A step that, once it needs attention, also runs again when a change arrives after its last attempt
   * (an undone edit in Field Service, F&O back in Draft, a line added): changes already pending do not.
   */
  #stepOnChange<T>(stage: Stage, waitingFor: string, run: () => Promise<T>): Promise<T> {
    const changes = () => this.#fieldServiceChanges.received + this.#financeChanges.received;
    let seen = -1;
    return this.#flow.step(
      stage,
      waitingFor,
      () => {
        seen = changes();
        return run();
      },
      () => changes() !== seen,
    );
  }
}
