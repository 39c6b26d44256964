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
import type { InventoryActivities, InventoryJournalSummary } from '../../activities/inventory/contract';
import { IntegrationFlow } from '../integration/integration-flow';
import { Notices } from '../integration/notices';
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
  return new InventoryDocumentSync(input).run();
}

class InventoryDocumentSync {
  readonly #flow: IntegrationFlow<InventoryDocumentState>;
  readonly #fieldServiceChanges = new Notices();
  readonly #financePostings = new Notices();

  constructor(input: InventoryDocumentInput) {
    const parsed = inventoryDocumentInputSchema.safeParse(input);
    if (!parsed.success) throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
    this.#flow = new IntegrationFlow<InventoryDocumentState>(
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
      (state) => ({ ...input, resumeFrom: state }),
      { command: `inventory ${input.kind}`, document: input.name },
    );
    setHandler(inventoryDocumentChangedSignal, () => this.#fieldServiceChanges.receive());
    setHandler(inventoryJournalPostedSignal, () => this.#financePostings.receive());
    upsertSearchAttributes([
      { key: LegalEntity, value: this.#state.legalEntity },
      { key: IntegrationStage, value: this.#state.stage },
    ]);
  }

  /** The document's life, top to bottom: journal written, posted by F&O, its number recorded in Field Service. */
  async run(): Promise<InventoryDocumentState> {
    let journal = this.#state.journal ?? (await this.#writeJournal());
    while (!journal.posted) {
      await this.#continueAsNewIfSuggested();
      journal = await this.#waitForPosting(journal);
    }
    await this.#recordJournalNumber(journal);
    return this.#end(journal);
  }

  get #state(): InventoryDocumentState {
    return this.#flow.state;
  }

  /** A change in Field Service or a posting in F&O was reported and not yet applied. */
  get #reported(): boolean {
    return this.#fieldServiceChanges.pending || this.#financePostings.pending;
  }

  /** Reads the document and, when it is new or changed, writes (or checks) the F&O journal. */
  async #writeJournal(): Promise<InventoryJournalSummary> {
    const state = this.#state;
    const journal = await this.#flow.step(
      Stage.CreatingJournal,
      'the F&O journal to be written',
      async () => {
        this.#fieldServiceChanges.handle();
        const snapshot = await activities.loadInventoryDocument({ kind: state.kind, name: state.name });
        if (state.journal && snapshot.version === state.syncedVersion) return undefined;
        const journalNumber = await activities.ensureInventoryJournal(snapshot);
        const summary = await activities.writeInventoryJournalLines({ snapshot, journalNumber });
        state.documentId = snapshot.documentId;
        state.syncedVersion = snapshot.version;
        return summary;
      },
      () => this.#fieldServiceChanges.pending,
    );
    if (journal) state.journal = { ...journal, posted: journal.posted || state.journal?.posted === true };
    return state.journal!;
  }

  /** Only between notices: one already reported would be lost with the history. */
  async #continueAsNewIfSuggested(): Promise<void> {
    if (this.#reported || !workflowInfo().continueAsNewSuggested) return;
    await this.#flow.continueAsNew();
  }

  /** Waits for a notice (or a day without one, then asks F&O anyway) and applies it; returns the journal as now known. */
  async #waitForPosting({ journalNumber }: InventoryJournalSummary): Promise<InventoryJournalSummary> {
    const waitingFor = `F&O to post journal ${journalNumber} ("Post integration inventory journals")`;
    this.#flow.setStage(Stage.AwaitingPosting, waitingFor);
    const signalled = await condition(() => this.#reported, POSTING_RECHECK_INTERVAL);
    if (!signalled) this.#financePostings.receive();
    await this.#catchUp(waitingFor);
    return this.#state.journal!;
  }

  /** Applies what the signals reported: a change in Field Service, a posting in F&O. */
  async #catchUp(waitingFor: string): Promise<void> {
    if (this.#fieldServiceChanges.pending) await this.#writeJournal();
    const journal = this.#state.journal!;
    if (!this.#financePostings.pending || journal.posted) return;
    this.#financePostings.handle();
    const posted = await this.#flow.step(Stage.AwaitingPosting, waitingFor, () =>
      activities.isInventoryJournalPosted({ kind: this.#state.kind, journalNumber: journal.journalNumber }),
    );
    if (posted) this.#state.journal = { ...journal, posted };
  }

  async #recordJournalNumber({ journalNumber }: InventoryJournalSummary): Promise<void> {
    const { kind, documentId } = this.#state;
    await this.#flow.step(
      Stage.RecordingJournal,
      `journal ${journalNumber} to be recorded in Field Service`,
      () => activities.recordInventoryJournalNumber({ kind, documentId: documentId!, journalNumber }),
    );
  }

  async #end({ journalNumber }: InventoryJournalSummary): Promise<InventoryDocumentState> {
    this.#flow.setStage(
      Stage.Recorded,
      `nothing: F&O posted it as journal ${journalNumber}, recorded in Field Service`,
    );
    await condition(allHandlersFinished);
    return this.#state;
  }
}
