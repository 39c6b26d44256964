import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { setTimeout as delay } from 'node:timers/promises';
import type { AgreementInvoiceActivities } from '../../activities/agreement-invoice/contract';
import type { InventoryActivities } from '../../activities/inventory/contract';
import { startDevServer } from '../../scripts/dev-server';
import { agreementInvoicing, inventoryDocumentSync } from '../../workflows';
import {
  agreementInvoiceChangedSignal,
  approveInvoicingUpdate,
  freeTextInvoicePostedSignal,
  statusQuery as agreementStatusQuery,
} from '../../workflows/agreement-invoice/messages';
import {
  inventoryDocumentChangedSignal,
  inventoryJournalPostedSignal,
  statusQuery as inventoryStatusQuery,
} from '../../workflows/inventory/messages';
import { bundleWorkflows } from '../support/temporal';
import { untilIdle } from '../support/workflow-idle';

// The server suggests continue-as-new from a history length it is configured with, so this file has a dev
// server of its own that suggests it after 20 events: every run of a workflow soon gets the suggestion.
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await startDevServer({ dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 20 } });
});
afterAll(() => env?.teardown());

/** A Field Service document whose version the test sets; one read of it can be held until the test lets it go. */
class Document {
  version = 1;
  reads = 0;
  written: string[] = [];
  #held?: Promise<void>;
  #release?: () => void;

  async read(): Promise<string> {
    const version = String(this.version);
    this.reads++;
    const held = this.#held;
    this.#held = undefined;
    await held;
    return version;
  }

  /** Version 2 is being read when version 3 is reported: both changes are signalled, the second mid-read. */
  async changeTwiceWhileRead(signal: () => Promise<void>): Promise<void> {
    this.#held = new Promise((resolve) => (this.#release = resolve));
    const reads = this.reads;
    this.version = 2;
    await signal();
    while (this.reads === reads) await delay(50);
    this.version = 3;
    await signal();
    this.#release!();
  }
}

/** F&O's side of an agreement invoice: whether it is posted, and the posting recorded back. */
class FinanceFake {
  postedAs: string | null = null;
  recordedPosting?: string;
}

/** An agreement invoice read from `document`, written to and posted by `finance`. */
function agreementInvoiceActivities(document: Document, finance: FinanceFake): AgreementInvoiceActivities {
  return {
    loadAgreementInvoice: async (invoiceNumber) => ({
      invoiceId: '00000000-0000-4000-8000-000000000002',
      invoiceNumber,
      version: await document.read(),
      records: { header: { record: {} }, lines: {}, customers: [] },
    }),
    ensureAgreementInvoiceCustomer: async () => undefined,
    upsertFreeTextInvoice: async (snapshot) => {
      document.written.push(snapshot.version);
      return {
        externalInvoiceId: `FS-${snapshot.invoiceNumber}`,
        legalEntity: 'usmf',
        customerAccount: 'US-001',
        currency: 'USD',
        invoiceDate: '2026-01-15',
        totalAmount: 100 * Number(snapshot.version),
        lineCount: 1,
      };
    },
    findFreeTextInvoicePosting: async () => finance.postedAs,
    recordFreeTextInvoicePosting: async (posting) => void (finance.recordedPosting = posting.postedAs),
  };
}

async function runWorker(taskQueue: string, activities: object, test: () => Promise<void>): Promise<void> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflows(),
    activities,
  });
  await worker.runUntil(test);
}

async function continuedAsNew(handle: WorkflowHandleWithFirstExecutionRunId): Promise<boolean> {
  return (await handle.describe()).runId !== handle.firstExecutionRunId;
}

test('inventory: a change reported while the journal is written is written too when the workflow continues as new', async () => {
  const document = new Document();
  let posted = false;
  let recordedJournal: string | undefined;
  const activities: InventoryActivities = {
    loadInventoryDocument: async ({ kind, name }) => {
      const version = await document.read();
      const lines = [{ ItemNumber: 'A0001', Quantity: Number(version) }];
      const documentId = '00000000-0000-4000-8000-000000000001';
      return { kind, name, documentId, version, warehouses: ['11'], journal: { header: {}, lines } };
    },
    ensureInventoryJournal: async () => 'IJ-0001',
    writeInventoryJournalLines: async ({ snapshot, journalNumber }) => {
      document.written.push(snapshot.version);
      return { journalNumber, lineCount: 1, posted: false };
    },
    isInventoryJournalPosted: async () => posted,
    recordInventoryJournalNumber: async ({ journalNumber }) => void (recordedJournal = journalNumber),
  };
  await runWorker('inventory-continue-as-new', activities, async () => {
    const handle = await env.client.workflow.start(inventoryDocumentSync, {
      workflowId: 'inventory-adjustment-ADJ-CAN',
      taskQueue: 'inventory-continue-as-new',
      args: [{ kind: 'adjustment', name: 'ADJ-CAN', legalEntity: 'usmf' }],
    });
    while ((await handle.query(inventoryStatusQuery)).stage !== 'AwaitingPosting') await delay(100);

    await document.changeTwiceWhileRead(() => handle.signal(inventoryDocumentChangedSignal));
    await untilIdle(handle);
    expect(document.written).toEqual(['1', '2', '3']);
    expect(await continuedAsNew(handle)).toBe(true);

    posted = true;
    await handle.signal(inventoryJournalPostedSignal);
    expect(await handle.result()).toMatchObject({ stage: 'Recorded', syncedVersion: '3' });
    expect(recordedJournal).toBe('IJ-0001');
  });
});

test('agreement invoice: a change reported while the invoice is written is written too when the workflow continues as new', async () => {
  const document = new Document();
  const finance = new FinanceFake();
  const activities = agreementInvoiceActivities(document, finance);
  await runWorker('agreement-invoice-continue-as-new', activities, async () => {
    const handle = await env.client.workflow.start(agreementInvoicing, {
      workflowId: 'agreement-invoice-INV-CAN',
      taskQueue: 'agreement-invoice-continue-as-new',
      args: [{ invoiceNumber: 'INV-CAN', legalEntity: 'usmf', approvalPolicy: 'never' }],
    });
    while ((await handle.query(agreementStatusQuery)).stage !== 'AwaitingPosting') await delay(100);

    await document.changeTwiceWhileRead(() => handle.signal(agreementInvoiceChangedSignal));
    await untilIdle(handle);
    expect(document.written).toEqual(['1', '2', '3']);
    expect(await continuedAsNew(handle)).toBe(true);

    finance.postedAs = 'FTI-000042';
    await handle.signal(freeTextInvoicePostedSignal);
    expect(await handle.result()).toMatchObject({ stage: 'Posted', syncedVersion: '3' });
    expect(finance.recordedPosting).toBe('FTI-000042');
  });
});

test('agreement invoice: a long wait for approval continues as new, and the approver still decides', async () => {
  const document = new Document();
  const finance = new FinanceFake();
  const activities = agreementInvoiceActivities(document, finance);
  await runWorker('agreement-invoice-approval-continue-as-new', activities, async () => {
    const handle = await env.client.workflow.start(agreementInvoicing, {
      workflowId: 'agreement-invoice-INV-CAN-APPROVAL',
      taskQueue: 'agreement-invoice-approval-continue-as-new',
      args: [{ invoiceNumber: 'INV-CAN-APPROVAL', legalEntity: 'usmf', approvalPolicy: 'always' }],
    });
    while ((await handle.query(agreementStatusQuery)).stage !== 'AwaitingApproval') await delay(100);

    // Changes that change nothing (the same version each time) grow the history while the approver is away.
    while (!(await continuedAsNew(handle))) {
      await handle.signal(agreementInvoiceChangedSignal);
      await untilIdle(handle);
    }
    expect((await handle.query(agreementStatusQuery)).stage).toBe('AwaitingApproval');
    expect(document.written).toEqual(['1']);

    await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
    finance.postedAs = 'FTI-000043';
    await handle.signal(freeTextInvoicePostedSignal);
    expect(await handle.result()).toMatchObject({
      stage: 'Posted',
      approval: { approvedBy: 'dana@contoso.com' },
    });
  });
});
