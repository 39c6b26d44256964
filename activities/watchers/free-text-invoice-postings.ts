import { heartbeat } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { and, enumMember, eq, type FinanceClient, or } from '../../connectors';
import { freeTextInvoiceHeaders, NoYes } from '../../connectors/entities/finance';
import type * as workflows from '../../workflows';
import {
  FREE_TEXT_INVOICE_MEMO,
  freeTextInvoicePostedSignal,
} from '../../workflows/agreement-invoice/messages';
import { Stage } from '../../workflows/agreement-invoice/stages';
import { IntegrationStage, LegalEntity } from '../../workflows/search-attributes';
import { KEYS_PER_QUERY } from '../key-filters';
import type { FreeTextPostingOutcomes } from './contract';

/** The agreement invoice workflow's type, its function's name (activities load no workflow code). */
const AGREEMENT_INVOICING: keyof typeof workflows = 'agreementInvoicing';

/** The stages in which an agreement invoice workflow moves on when F&O posts its free text invoice. */
const WAITING_STAGES = [Stage.AwaitingApproval, Stage.Rejected, Stage.AwaitingPosting];

interface Waiting {
  workflowId: string;
  externalInvoiceId: string;
}

/**
 * Tells every agreement invoice workflow of the company waiting for F&O (approval, rejection or posting)
 * whose free text invoice F&O has posted: `freeTextInvoicePosted`, on which it reads the posting and
 * records it. Posting does not change a free text invoice's date, so F&O cannot be read by date; instead
 * Temporal visibility lists the waiting workflows with the key each published in its memo, and F&O is
 * asked for the posted ones 50 keys per query. One list and one query per 50 waiting invoices, whatever
 * was posted.
 */
export async function signalPostedFreeTextInvoices(
  client: Client,
  finance: FinanceClient,
): Promise<FreeTextPostingOutcomes> {
  const outcomes: FreeTextPostingOutcomes = { waiting: 0, posted: 0, signalled: 0 };
  const stages = WAITING_STAGES.map((stage) => `"${stage}"`).join(', ');
  const query =
    `WorkflowType = "${AGREEMENT_INVOICING}" AND ExecutionStatus = "Running" AND ` +
    `${IntegrationStage.name} IN (${stages}) AND ${LegalEntity.name} = "${finance.company}"`;

  const signalPosted = async (batch: readonly Waiting[]) => {
    const [first, ...rest] = batch.map((waiting) => eq('ExternalInvoiceId', waiting.externalInvoiceId));
    const posted = new Set<string>();
    for await (const header of finance.query(freeTextInvoiceHeaders, {
      filter: and(eq('IsPosted', enumMember(NoYes, 'Yes')), or(first!, ...rest)),
      select: ['ExternalInvoiceId'],
    })) {
      posted.add(header.ExternalInvoiceId);
    }
    for (const { workflowId, externalInvoiceId } of batch) {
      if (!posted.has(externalInvoiceId)) continue;
      outcomes.posted++;
      try {
        await client.workflow.getHandle(workflowId).signal(freeTextInvoicePostedSignal);
        outcomes.signalled++;
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err; // ended since it was listed
      }
    }
    heartbeat(outcomes);
  };

  let batch: Waiting[] = [];
  for await (const execution of client.workflow.list({ query })) {
    const externalInvoiceId = execution.memo?.[FREE_TEXT_INVOICE_MEMO];
    // Not yet written to F&O: nothing there to be posted.
    if (typeof externalInvoiceId !== 'string') continue;
    outcomes.waiting++;
    batch.push({ workflowId: execution.workflowId, externalInvoiceId });
    if (batch.length === KEYS_PER_QUERY) {
      await signalPosted(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await signalPosted(batch);
  return outcomes;
}
