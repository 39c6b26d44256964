import { invoices } from '../../../connectors/entities/dataverse';
import { Stage } from '../../../workflows/agreement-invoice/stages';
import { InvoiceNumber } from '../../../workflows/search-attributes';
import { type DocumentWorkflows, workflowsWithoutDocument } from '../running-workflows';
import { JOIN_NAME } from './evaluate';

/** Agreement invoices and their workflows (`agreementInvoicing` in `workflows/agreement-invoice/workflow.ts`). */
export const AGREEMENT_INVOICE_WORKFLOWS: DocumentWorkflows = {
  join: JOIN_NAME,
  document: 'invoice',
  table: invoices,
  numberColumn: 'invoicenumber',
  fieldServiceKey: 'invoiceNumber',
  command: 'agreement-invoice',
  type: 'agreementInvoicing',
  key: InvoiceNumber,
  idPrefix: 'agreement-invoice-',
  parked: Stage.NeedsAttention,
};

/** Running agreement invoice workflows whose invoice was deleted. */
export const agreementInvoiceWorkflowsWithoutInvoice = workflowsWithoutDocument(
  AGREEMENT_INVOICE_WORKFLOWS,
  'the invoice and its free text invoice in F&O',
);
