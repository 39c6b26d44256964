import type { Command } from 'commander';
import { agreementInvoiceTasks } from '../../activities/agreement-invoice/agreement-invoice-tasks';
import {
  type FreeTextInvoicePreview,
  previewFreeTextInvoice,
} from '../../activities/agreement-invoice/preview';
import type { Config } from '../../config/config';
import { registerPreviewCommand } from '../preview/command';
import { describePreview } from '../preview/text';

function describeFreeTextInvoicePreview(preview: FreeTextInvoicePreview): string {
  const { freeTextInvoice } = preview;
  if (!freeTextInvoice) return `Invoice ${preview.invoiceNumber}: no free text invoice (${preview.refusal}).`;
  const posted = preview.postedAs ? `, posted as ${preview.postedAs}` : '';
  return describePreview({
    ...preview,
    title:
      `Invoice ${preview.invoiceNumber} → F&O free text invoice ${freeTextInvoice.externalInvoiceId} ` +
      `(${freeTextInvoice.entitySet}, company ${preview.legalEntity}${posted}), ` +
      `total ${freeTextInvoice.totalAmount.toFixed(2)}`,
    source: 'invoice',
    document: `free text invoice ${freeTextInvoice.externalInvoiceId}`,
    header: freeTextInvoice.header,
    lines: freeTextInvoice.lines,
    lineNumberField: 'LineNumber',
    keyFields: ['ExternalInvoiceId', 'dataAreaId'],
  });
}

export function registerAgreementInvoicePreviewCommand(command: Command, loadConfig: () => Config): void {
  registerPreviewCommand(command, loadConfig, {
    description:
      'the F&O free text invoice the invoice would become now, how it differs from the one in F&O, and the ' +
      'requests a sync would send',
    preview: (_config, project, { dataverse, finance }, number) =>
      previewFreeTextInvoice({ dataverse, finance, tasks: agreementInvoiceTasks(project) }, number),
    describe: describeFreeTextInvoicePreview,
  });
}
