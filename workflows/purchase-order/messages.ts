import { defineSignal } from '@temporalio/workflow';
import { decisionMessages } from '../integration/decisions';
import type { PurchaseOrderState } from './state';

// F&O decides approval: only retry and status apply; approve and reject are refused in every stage.
export const {
  approveInvoicingUpdate,
  rejectInvoicingUpdate,
  retryUpdate,
  approveInvoicingSignal,
  rejectInvoicingSignal,
  retrySignal,
  statusQuery,
} = decisionMessages<PurchaseOrderState>();

/** From the starter or watcher: the order changed in Field Service; the order changed in F&O. */
export const purchaseOrderChangedSignal = defineSignal('purchaseOrderChanged');
export const financePurchaseOrderChangedSignal = defineSignal('financePurchaseOrderChanged');
