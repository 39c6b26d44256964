import { defineSignal } from '@temporalio/workflow';
import { decisionMessages } from '../integration/decisions';
import type { AgreementInvoiceState } from './state';

export const {
  approveInvoicingUpdate,
  rejectInvoicingUpdate,
  retryUpdate,
  approveInvoicingSignal,
  rejectInvoicingSignal,
  retrySignal,
  statusQuery,
} = decisionMessages<AgreementInvoiceState>();

/** From a starter or watcher: the invoice changed in Field Service; F&O posted its free text invoice. */
export const agreementInvoiceChangedSignal = defineSignal('agreementInvoiceChanged');
export const freeTextInvoicePostedSignal = defineSignal('freeTextInvoicePosted');

/**
 * The memo key under which the workflow publishes its free text invoice's `ExternalInvoiceId` once written,
 * so the free text invoice watcher reads the keys of every waiting workflow from one visibility list.
 */
export const FREE_TEXT_INVOICE_MEMO = 'freeTextInvoice';
