import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { z } from 'zod';
import type { AgreementInvoiceActivities } from '../../activities/agreement-invoice/contract';
import { IntegrationFlow } from '../integration/integration-flow';
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

/**
 * One Field Service agreement invoice to an F&O free text invoice: customer, free text invoice,
 * approval, a durable wait for F&O to post it (changes in Field Service flow until then), and the
 * posting recorded on the Field Service invoice. Workflow ID `agreement-invoice-<invoice number>`.
 */
export async function agreementInvoicing(input: AgreementInvoiceInput): Promise<AgreementInvoiceState> {
  const flow = new IntegrationFlow<AgreementInvoiceState>(
    input.resumeFrom ?? {
      invoiceNumber: input.invoiceNumber,
      legalEntity: input.legalEntity,
      stage: Stage.SyncingFreeTextInvoice,
      waitingFor: 'the F&O free text invoice to be written',
      rejections: [],
    },
    `invoice ${input.invoiceNumber}`,
    messages,
  );
  const parsed = agreementInvoiceInputSchema.safeParse(input);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
  const { state } = flow;
  let changed = false;
  let postingHint = false;
  setHandler(agreementInvoiceChangedSignal, () => {
    changed = true;
  });
  setHandler(freeTextInvoicePostedSignal, () => {
    postingHint = true;
  });
  const postedAs = () => state.freeTextInvoice?.postedAs;
  /** Visibility lists the workflows waiting for a posting with their F&O key, for the watcher to ask F&O in bulk. */
  const publishFreeTextInvoice = () =>
    upsertMemo({ [FREE_TEXT_INVOICE_MEMO]: state.freeTextInvoice!.externalInvoiceId });

  /** Reads the invoice and, when it is new or changed since the last sync, writes the free text invoice. */
  async function sync(): Promise<void> {
    const synced = await flow.step(
      Stage.SyncingFreeTextInvoice,
      'the F&O free text invoice to be written',
      async () => {
        changed = false;
        const snapshot = await activities.loadAgreementInvoice(state.invoiceNumber);
        if (snapshot.ineligibleReason)
          throw ApplicationFailure.nonRetryable(snapshot.ineligibleReason, 'NotEligible');
        if (state.freeTextInvoice && snapshot.version === state.syncedVersion) return undefined;
        await activities.ensureAgreementInvoiceCustomer(snapshot);
        return { snapshot, summary: await activities.upsertFreeTextInvoice(snapshot) };
      },
      () => changed, // e.g. the change was undone in Field Service
    );
    if (synced === undefined) return;
    const { snapshot, summary } = synced;
    const published = state.freeTextInvoice?.externalInvoiceId;
    state.freeTextInvoice = summary;
    if (summary.externalInvoiceId !== published) publishFreeTextInvoice();
    state.syncedVersion = snapshot.version;
    state.fieldServiceInvoiceId = snapshot.invoiceId;
    if (snapshot.agreementNumber && state.agreementNumber !== snapshot.agreementNumber) {
      state.agreementNumber = snapshot.agreementNumber;
      upsertSearchAttributes([{ key: AgreementNumber, value: snapshot.agreementNumber }]);
    }
  }

  /** Applies what the signals reported: a change in Field Service, a posting in F&O. */
  async function catchUp(waitingFor: string): Promise<void> {
    if (changed) await sync();
    if (postingHint && !postedAs()) {
      postingHint = false;
      const { externalInvoiceId } = state.freeTextInvoice!;
      const found = await flow.step(Stage.AwaitingPosting, waitingFor, () =>
        activities.findFreeTextInvoicePosting(externalInvoiceId),
      );
      if (found) state.freeTextInvoice = { ...state.freeTextInvoice!, postedAs: found };
    }
  }

  upsertSearchAttributes([
    { key: InvoiceNumber, value: state.invoiceNumber },
    { key: LegalEntity, value: state.legalEntity },
    { key: IntegrationStage, value: state.stage },
    ...(state.agreementNumber ? [{ key: AgreementNumber, value: state.agreementNumber }] : []),
  ]);

  if (state.freeTextInvoice) publishFreeTextInvoice();
  else await sync();
  // Posted in F&O already: posting it was the approval.
  while (!state.approval && !postedAs()) {
    const decision = await flow.decide(
      parsed.data.approvalPolicy,
      state.freeTextInvoice!.totalAmount,
      () => changed || postingHint,
    );
    if (decision === 'approved') break;
    if (decision === 'rejected') {
      const { reason } = flow.lastRejection!;
      const syncedVersion = state.syncedVersion;
      while (state.syncedVersion === syncedVersion && !postedAs()) {
        flow.setStage(
          Stage.Rejected,
          `a change to invoice ${state.invoiceNumber} in Field Service (rejected: ${reason})`,
        );
        await condition(() => changed || postingHint);
        await catchUp('F&O to be asked whether it posted the free text invoice');
      }
    } else {
      await catchUp('F&O to be asked whether it posted the free text invoice');
    }
  }

  while (!postedAs()) {
    const waitingFor = `F&O to post free text invoice ${state.freeTextInvoice!.externalInvoiceId}`;
    flow.setStage(Stage.AwaitingPosting, waitingFor);
    const signalled = await condition(() => changed || postingHint, POSTING_RECHECK_INTERVAL);
    if (!signalled) postingHint = true;
    await catchUp(waitingFor);
    if (!postedAs() && workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof agreementInvoicing>({ ...input, resumeFrom: state });
    }
  }

  const posting = { invoiceId: state.fieldServiceInvoiceId!, postedAs: postedAs()! };
  await flow.step(
    Stage.RecordingPosting,
    `free text invoice ${posting.postedAs} to be recorded in Field Service`,
    () => activities.recordFreeTextInvoicePosting(posting),
  );
  flow.setStage(Stage.Posted, `nothing: F&O posted the free text invoice as ${posting.postedAs}`);
  await condition(allHandlersFinished);
  return state;
}
