import { defineSignal } from '@temporalio/workflow';
import { decisionMessages } from '../integration/decisions';
import type { InventoryDocumentState } from './state';

/**
 * The shared decision messages; only `retry` and `status` ever apply, since a document Posted in Field
 * Service needs no approval (the workflow never waits in AwaitingApproval, so approve and reject are refused).
 */
export const {
  approveInvoicingUpdate,
  rejectInvoicingUpdate,
  retryUpdate,
  approveInvoicingSignal,
  rejectInvoicingSignal,
  retrySignal,
  statusQuery,
} = decisionMessages<InventoryDocumentState>();

/** From a starter or watcher: the document changed in Field Service; F&O posted its journal. */
export const inventoryDocumentChangedSignal = defineSignal('inventoryDocumentChanged');
export const inventoryJournalPostedSignal = defineSignal('inventoryJournalPosted');
