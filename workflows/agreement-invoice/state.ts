import { z } from 'zod';
import type { FreeTextInvoiceSummary } from '../../activities/agreement-invoice/contract';
import { approvalPolicySchema } from '../../config/approval-policy';
import type { IntegrationState } from '../integration/integration-flow';

/** Everything an operator may want to know; the `status` query returns it and the result ends with it. */
export interface AgreementInvoiceState extends IntegrationState {
  invoiceNumber: string;
  legalEntity: string;
  agreementNumber?: string;
  /** The Field Service invoice's id, where the posting is recorded. */
  fieldServiceInvoiceId?: string;
  freeTextInvoice?: FreeTextInvoiceSummary;
  syncedVersion?: string;
}

export const agreementInvoiceInputSchema = z.object({
  invoiceNumber: z.string().min(1),
  legalEntity: z.string().min(1),
  approvalPolicy: approvalPolicySchema,
  /** APPROVAL_REMINDER_AFTER when the workflow started: one reminder after this long waiting for approval. */
  approvalReminderAfterMs: z.number().positive().optional(),
  /** Who may approve or reject (`APPROVERS`, lower-case); absent: anyone. */
  approvers: z.array(z.string()).optional(),
});

export type AgreementInvoiceInput = z.infer<typeof agreementInvoiceInputSchema> & {
  /** Carried over by continue-as-new. */
  resumeFrom?: AgreementInvoiceState;
};
