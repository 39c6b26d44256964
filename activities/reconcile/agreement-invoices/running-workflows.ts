import { invoices } from '../../../connectors/entities/dataverse';
import type { AgreementInvoiceState } from '../../../workflows/agreement-invoice/state';
import { Stage } from '../../../workflows/agreement-invoice/stages';
import { keyFilters } from '../../key-filters';
import type { Drift } from '../drift';
import type { JoinContext } from '../join';
import { personFix } from '../repairs';
import type { WorkflowRun } from '../workflow-visibility';
import { JOIN_NAME } from './evaluate';

const invoiceOf = (run: WorkflowRun) => run.key ?? run.workflowId.replace(/^agreement-invoice-/, '');

/**
 * Running agreement invoice workflows against Field Service: one whose invoice no longer exists waits
 * for nothing; one parked in NeedsAttention waits for a person (its reason from the `status` query,
 * asked of parked workflows only).
 */
export async function runningAgreementInvoiceDrifts(
  context: JoinContext,
  runs: readonly WorkflowRun[],
): Promise<Drift[]> {
  const existing = new Set<string>();
  for (const filter of keyFilters('invoicenumber', runs.map(invoiceOf))) {
    for await (const row of context.dataverse.query(invoices, { select: ['invoicenumber'], filter })) {
      existing.add(row.invoicenumber.toLowerCase());
    }
  }
  const drifts: Drift[] = [];
  for (const run of runs) {
    const number = invoiceOf(run);
    const workflow = { workflowId: run.workflowId, status: run.status, stage: run.stage };
    const base = { join: JOIN_NAME, document: 'workflow', key: run.workflowId, finance: null, workflow };
    if (!existing.has(number.toLowerCase())) {
      drifts.push({
        ...base,
        class: 'orphan',
        fieldService: null,
        message: `Workflow ${run.workflowId} (${run.stage ?? 'no stage'}) waits for invoice ${number}, which no longer exists in Field Service.`,
        fix: personFix(
          `Check what became of the invoice and its free text invoice in F&O; then terminate the workflow in ` +
            `Temporal Web, or with "temporal workflow terminate --workflow-id ${run.workflowId} --reason 'invoice deleted'".`,
        ),
      });
    } else if (run.stage === Stage.NeedsAttention) {
      const state = await context.workflows.query<AgreementInvoiceState>(run.workflowId, 'status');
      const reason = state?.attention
        ? `${state.attention.reason} (since ${state.attention.since})`
        : `its reason is in "fsfo agreement-invoice status ${number}"`;
      drifts.push({
        ...base,
        class: 'needs attention',
        fieldService: { invoiceNumber: number },
        message: `The workflow of invoice ${number} needs attention: ${reason}.`,
        fix: personFix(
          'Fix what the reason says, then run the command.',
          `fsfo agreement-invoice retry ${number}`,
        ),
      });
    }
  }
  return drifts;
}
