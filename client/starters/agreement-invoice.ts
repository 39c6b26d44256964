import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { z } from 'zod';
import type { Config } from '../../config/config';
// The workflow's type only: activities import the starters and load no workflow code; its type is its name.
import type { agreementInvoicing } from '../../workflows';
import { agreementInvoiceChangedSignal } from '../../workflows/agreement-invoice/messages';
import { Stage } from '../../workflows/agreement-invoice/stages';
import { IntegrationStage, InvoiceNumber, LegalEntity } from '../../workflows/search-attributes';
import type { StartOutcome } from './work-order';

export const invoiceNumberSchema = z
  .string()
  .trim()
  .min(1, 'an invoice number is required')
  .max(100, 'an invoice number has at most 100 characters')
  .regex(/^[^\p{Cc}]+$/u, 'an invoice number has no control characters');

export const agreementInvoiceWorkflowId = (invoiceNumber: string) => `agreement-invoice-${invoiceNumber}`;

/**
 * Starts the workflow of a Field Service agreement invoice, or tells the running one that the
 * invoice changed. One workflow per invoice whatever the number of callers: the ID is the invoice
 * number, and a completed workflow (its free text invoice posted and recorded) is never started again.
 */
export async function startAgreementInvoice(
  client: Client,
  config: Config,
  invoiceNumber: string,
): Promise<StartOutcome> {
  const number = invoiceNumberSchema.parse(invoiceNumber);
  try {
    await client.workflow.signalWithStart<typeof agreementInvoicing>('agreementInvoicing', {
      workflowId: agreementInvoiceWorkflowId(number),
      taskQueue: config.temporal.taskQueue,
      args: [
        {
          invoiceNumber: number,
          legalEntity: config.finance.company,
          approvalPolicy: config.approvalPolicy,
          approvalReminderAfterMs: config.notifications.approvalReminderAfterMs,
          approvers: [...config.approvers],
        },
      ],
      signal: agreementInvoiceChangedSignal,
      signalArgs: [],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      typedSearchAttributes: [
        { key: InvoiceNumber, value: number },
        { key: LegalEntity, value: config.finance.company },
        { key: IntegrationStage, value: Stage.SyncingFreeTextInvoice },
      ],
      staticSummary: `Agreement invoice ${number} → F&O free text invoice in ${config.finance.company}`,
    });
    return 'started-or-signalled';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already-completed';
    throw err;
  }
}
