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
import type { InventoryActivities } from '../../activities/inventory/contract';
import { IntegrationFlow } from '../integration/integration-flow';
import { IntegrationStage, LegalEntity } from '../search-attributes';
import * as messages from './messages';
import { inventoryDocumentChangedSignal, inventoryJournalPostedSignal } from './messages';
import { Stage } from './stages';
import {
  type InventoryDocumentInput,
  inventoryDocumentInputSchema,
  type InventoryDocumentState,
} from './state';

// Transient failures retry without limit, backing off to 1 minute and honouring Retry-After; business
// failures are non-retryable and park the workflow in NeedsAttention.
const activities = proxyActivities<InventoryActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** How often a waiting workflow asks F&O itself, in case no signal tells it of the posting. */
const POSTING_RECHECK_INTERVAL = '1 day';

/**
 * One Posted Field Service inventory adjustment or transfer to one F&O journal: the journal and its lines,
 * a durable wait for F&O's "Post integration inventory journals" job to post it, and the journal number
 * recorded on the Field Service document. Workflow ID `inventory-<kind>-<name>`.
 */
export async function inventoryDocumentSync(input: InventoryDocumentInput): Promise<InventoryDocumentState> {
  const flow = new IntegrationFlow<InventoryDocumentState>(
    input.resumeFrom ?? {
      kind: input.kind,
      name: input.name,
      legalEntity: input.legalEntity,
      stage: Stage.CreatingJournal,
      waitingFor: 'the F&O journal to be written',
      rejections: [],
    },
    `${input.kind} ${input.name}`,
    messages,
  );
  const parsed = inventoryDocumentInputSchema.safeParse(input);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
  const { state } = flow;
  let changed = false;
  let postingHint = false;
  setHandler(inventoryDocumentChangedSignal, () => {
    changed = true;
  });
  setHandler(inventoryJournalPostedSignal, () => {
    postingHint = true;
  });

  /** Reads the document and, when it is new or changed, writes (or checks) the F&O journal. */
  async function sync(): Promise<void> {
    const journal = await flow.step(
      Stage.CreatingJournal,
      'the F&O journal to be written',
      async () => {
        changed = false;
        const snapshot = await activities.loadInventoryDocument({ kind: state.kind, name: state.name });
        if (state.journal && snapshot.version === state.syncedVersion) return undefined;
        const journalNumber = await activities.ensureInventoryJournal(snapshot);
        const summary = await activities.writeInventoryJournalLines({ snapshot, journalNumber });
        state.documentId = snapshot.documentId;
        state.syncedVersion = snapshot.version;
        return summary;
      },
      () => changed,
    );
    if (journal) state.journal = { ...journal, posted: journal.posted || state.journal?.posted === true };
  }

  /** Applies what the signals reported: a change in Field Service, a posting in F&O. */
  async function catchUp(waitingFor: string): Promise<void> {
    if (changed) await sync();
    if (postingHint && !state.journal!.posted) {
      postingHint = false;
      const { journalNumber } = state.journal!;
      const posted = await flow.step(Stage.AwaitingPosting, waitingFor, () =>
        activities.isInventoryJournalPosted({ kind: state.kind, journalNumber }),
      );
      if (posted) state.journal = { ...state.journal!, posted };
    }
  }

  upsertSearchAttributes([
    { key: LegalEntity, value: state.legalEntity },
    { key: IntegrationStage, value: state.stage },
  ]);

  if (!state.journal) await sync();
  while (!state.journal!.posted) {
    const waitingFor = `F&O to post journal ${state.journal!.journalNumber} ("Post integration inventory journals")`;
    flow.setStage(Stage.AwaitingPosting, waitingFor);
    const signalled = await condition(() => changed || postingHint, POSTING_RECHECK_INTERVAL);
    if (!signalled) postingHint = true;
    await catchUp(waitingFor);
    if (!state.journal!.posted && workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof inventoryDocumentSync>({ ...input, resumeFrom: state });
    }
  }

  const { journalNumber } = state.journal!;
  await flow.step(Stage.RecordingJournal, `journal ${journalNumber} to be recorded in Field Service`, () =>
    activities.recordInventoryJournalNumber({
      kind: state.kind,
      documentId: state.documentId!,
      journalNumber,
    }),
  );
  flow.setStage(
    Stage.Recorded,
    `nothing: F&O posted it as journal ${journalNumber}, recorded in Field Service`,
  );
  await condition(allHandlersFinished);
  return state;
}
