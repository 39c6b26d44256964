import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { z } from 'zod';
import type { AgreementInvoiceActivities } from '../../activities/agreement-invoice/contract';
import type { ApprovalPolicy } from '../../config/approval-policy';
import { type Decision, IntegrationFlow } from '../integration/integration-flow';
import { Notices } from '../integration/notices';
import { AgreementNumber, IntegrationStage, InvoiceNumber, LegalEntity } from '../search-attributes';
import * as messages from './messages';
import {
  agreementInvoiceChangedSignal,
  FREE_TEXT_INVOICE_MEMO,
  freeTextInvoicePostedSignal,
} from './messages';
import { Stage } from './stages';
import { type AgreementInvoiceInput, agreementInvoiceInputSchema, type AgreementInvoiceState } from './state';

// Transient failures (throttling, 5xx, timeouts) retry without limit, backing off to 1 minute and
// honouring Retry-After; business failures are non-retryable and park the workflow in NeedsAttention.
const activities = proxyActivities<AgreementInvoiceActivities>({
  startToCloseTimeout: '2 minutes',
  // Activities heartbeat while they run: a worker that dies mid-call is noticed in seconds.
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** How often a waiting workflow asks F&O itself, in case no signal tells it of the posting. */
const POSTING_RECHECK_INTERVAL = '1 day';
/** What the workflow waits for while it asks F&O for a posting before approval. */
const ASKING_FOR_POSTING = 'F&O to be asked whether it posted the free text invoice';

/**
 * One Field Service agreement invoice to an F&O free text invoice: customer, free text invoice,
 * approval, a durable wait for F&O to post it (changes in Field Service flow until then), and the
 * posting recorded on the Field Service invoice. Workflow ID `agreement-invoice-<invoice number>`.
 */
export async function agreementInvoicing(input: AgreementInvoiceInput): Promise<AgreementInvoiceState> {
  return new AgreementInvoicing(input).run();
}

class AgreementInvoicing {
  readonly #approvalPolicy: ApprovalPolicy;
  readonly #approvalReminderAfterMs: number | undefined;
  readonly #flow: IntegrationFlow<AgreementInvoiceState>;
  readonly #fieldServiceChanges = new Notices();
  readonly #financePostings = new Notices();

  constructor(input: AgreementInvoiceInput) {
    const parsed = agreementInvoiceInputSchema.safeParse(input);
    if (!parsed.success) throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
    this.#approvalPolicy = parsed.data.approvalPolicy;
    this.#approvalReminderAfterMs = parsed.data.approvalReminderAfterMs;
    this.#flow = new IntegrationFlow<AgreementInvoiceState>(
      input.resumeFrom ?? {
        invoiceNumber: input.invoiceNumber,
        legalEntity: input.legalEntity,
        stage: Stage.SyncingFreeTextInvoice,
        waitingFor: 'the F&O free text invoice to be written',
        rejections: [],
      },
      `invoice ${input.invoiceNumber}`,
      messages,
      (state) => ({ ...input, resumeFrom: state }),
      { command: 'agreement-invoice', document: input.invoiceNumber },
      parsed.data.approvers,
    );
    setHandler(agreementInvoiceChangedSignal, () => this.#fieldServiceChanges.receive());
    setHandler(freeTextInvoicePostedSignal, () => this.#financePostings.receive());
    const { state } = this.#flow;
    upsertSearchAttributes([
      { key: InvoiceNumber, value: state.invoiceNumber },
      { key: LegalEntity, value: state.legalEntity },
      { key: IntegrationStage, value: state.stage },
      ...(state.agreementNumber ? [{ key: AgreementNumber, value: state.agreementNumber }] : []),
    ]);
  }

  /** The invoice's life, top to bottom: written to F&O, approved, posted by F&O, recorded in Field Service. */
  async run(): Promise<AgreementInvoiceState> {
    // Continued as new: this run publishes the free text invoice's key for the watcher too.
    if (this.#state.freeTextInvoice) this.#publishFreeTextInvoice();
    else await this.#writeFreeTextInvoice();
    // Posted in F&O already: posting it was the approval.
    while (!this.#state.approval && !this.#postedAs) {
      const decision = await this.#decide();
      if (decision === 'rejected') await this.#waitForChangeAfterRejection();
      if (decision === 'interrupted') await this.#catchUp(ASKING_FOR_POSTING);
    }
    let postedAs = this.#postedAs;
    while (!postedAs) {
      await this.#continueAsNewIfSuggested();
      postedAs = await this.#waitForPosting();
    }
    await this.#recordPosting(postedAs);
    return this.#end(postedAs);
  }

  get #state(): AgreementInvoiceState {
    return this.#flow.state;
  }

  /** F&O's number of the posted free text invoice, once known. */
  get #postedAs(): string | undefined {
    return this.#state.freeTextInvoice?.postedAs;
  }

  /** A change in Field Service or a posting in F&O was reported and not yet applied. */
  get #reported(): boolean {
    return this.#fieldServiceChanges.pending || this.#financePostings.pending;
  }

  /** Reads the invoice and, when it is new or changed since the last sync, writes the free text invoice. */
  async #writeFreeTextInvoice(): Promise<void> {
    const state = this.#state;
    const synced = await this.#flow.step(
      Stage.SyncingFreeTextInvoice,
      'the F&O free text invoice to be written',
      async () => {
        this.#fieldServiceChanges.handle();
        const snapshot = await activities.loadAgreementInvoice(state.invoiceNumber);
        if (snapshot.ineligibleReason)
          throw ApplicationFailure.nonRetryable(snapshot.ineligibleReason, 'NotEligible');
        if (state.freeTextInvoice && snapshot.version === state.syncedVersion) return undefined;
        await activities.ensureAgreementInvoiceCustomer(snapshot);
        return { snapshot, summary: await activities.upsertFreeTextInvoice(snapshot) };
      },
      () => this.#fieldServiceChanges.pending, // e.g. the change was undone in Field Service
    );
    if (synced === undefined) return;
    const { snapshot, summary } = synced;
    const published = state.freeTextInvoice?.externalInvoiceId;
    state.freeTextInvoice = summary;
    if (summary.externalInvoiceId !== published) this.#publishFreeTextInvoice();
    state.syncedVersion = snapshot.version;
    state.fieldServiceInvoiceId = snapshot.invoiceId;
    if (snapshot.agreementNumber && state.agreementNumber !== snapshot.agreementNumber) {
      state.agreementNumber = snapshot.agreementNumber;
      upsertSearchAttributes([{ key: AgreementNumber, value: snapshot.agreementNumber }]);
    }
  }

  /** Visibility lists the workflows waiting for a posting with their F&O key, for the watcher to ask F&O in bulk. */
  #publishFreeTextInvoice(): void {
    upsertMemo({ [FREE_TEXT_INVOICE_MEMO]: this.#state.freeTextInvoice!.externalInvoiceId });
  }

  /** Approval by the policy or an operator, unless a change or a posting is reported first. */
  #decide(): Promise<Decision> {
    return this.#flow.decide(
      this.#approvalPolicy,
      this.#state.freeTextInvoice!.totalAmount,
      () => this.#reported,
      this.#approvalReminderAfterMs,
    );
  }

  /** Rejected: waits until the invoice, changed in Field Service, is written again (or F&O posts it). */
  async #waitForChangeAfterRejection(): Promise<void> {
    const { reason } = this.#flow.lastRejection!;
    const { syncedVersion, invoiceNumber } = this.#state;
    while (this.#state.syncedVersion === syncedVersion && !this.#postedAs) {
      this.#flow.setStage(
        Stage.Rejected,
        `a change to invoice ${invoiceNumber} in Field Service (rejected: ${reason})`,
      );
      await condition(() => this.#reported);
      await this.#catchUp(ASKING_FOR_POSTING);
    }
  }

  /** Only between notices: one already reported would be lost with the history. */
  async #continueAsNewIfSuggested(): Promise<void> {
    if (this.#reported || !workflowInfo().continueAsNewSuggested) return;
    await this.#flow.continueAsNew();
  }

  /** Waits for a notice (or a day without one, then asks F&O anyway) and applies it; returns the posting, once found. */
  async #waitForPosting(): Promise<string | undefined> {
    const waitingFor = `F&O to post free text invoice ${this.#state.freeTextInvoice!.externalInvoiceId}`;
    this.#flow.setStage(Stage.AwaitingPosting, waitingFor);
    const signalled = await condition(() => this.#reported, POSTING_RECHECK_INTERVAL);
    if (!signalled) this.#financePostings.receive();
    await this.#catchUp(waitingFor);
    return this.#postedAs;
  }

  /** Applies what the signals reported: a change in Field Service, a posting in F&O. */
  async #catchUp(waitingFor: string): Promise<void> {
    if (this.#fieldServiceChanges.pending) await this.#writeFreeTextInvoice();
    if (!this.#financePostings.pending || this.#postedAs) return;
    this.#financePostings.handle();
    const { externalInvoiceId } = this.#state.freeTextInvoice!;
    const found = await this.#flow.step(Stage.AwaitingPosting, waitingFor, () =>
      activities.findFreeTextInvoicePosting(externalInvoiceId),
    );
    if (found) this.#state.freeTextInvoice = { ...this.#state.freeTextInvoice!, postedAs: found };
  }

  async #recordPosting(postedAs: string): Promise<void> {
    const posting = { invoiceId: this.#state.fieldServiceInvoiceId!, postedAs };
    await this.#flow.step(
      Stage.RecordingPosting,
      `free text invoice ${postedAs} to be recorded in Field Service`,
      () => activities.recordFreeTextInvoicePosting(posting),
    );
  }

  async #end(postedAs: string): Promise<AgreementInvoiceState> {
    this.#flow.setStage(Stage.Posted, `nothing: F&O posted the free text invoice as ${postedAs}`);
    await condition(allHandlersFinished);
    return this.#state;
  }
}
