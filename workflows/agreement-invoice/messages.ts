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
