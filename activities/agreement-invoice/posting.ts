import { D365Error } from '../../connectors';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { invoices } from '../../connectors/entities/dataverse';
import { freeTextInvoiceHeaders } from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { businessFailure } from '../business-failure';

/** The F&O invoice number of a posted free text invoice; null while it is not posted. */
export async function findFreeTextInvoicePosting(
  finance: FinanceClient,
  externalInvoiceId: string,
): Promise<string | null> {
  try {
    const header = await finance.retrieve(
      freeTextInvoiceHeaders,
      { ExternalInvoiceId: externalInvoiceId },
      { select: ['IsPosted', 'InvoiceNumber'] },
    );
    return header.IsPosted === 'Yes' ? String(header.InvoiceNumber) : null;
  } catch (error) {
    if (!(error instanceof D365Error && error.kind === 'not-found')) throw error;
    throw businessFailure(
      `Free text invoice ${externalInvoiceId} no longer exists in F&O company ${finance.company}`,
      'NotFound',
    );
  }
}

/**
 * The column the integration adds to the invoice for the F&O number of its posted free text
 * invoice; its logical name is the sandbox's choice, like the other `msdynce_` columns (docs/dynamics-365-templates.md#columns-the-integration-solutions-add).
 */
export const FREE_TEXT_INVOICE_NUMBER_COLUMN = 'msdynce_freetextinvoicenumber';

export async function recordFreeTextInvoicePosting(
  dataverse: DataverseClient,
  invoiceId: string,
  postedAs: string,
): Promise<void> {
  await dataverse.update(invoices, invoiceId, { [FREE_TEXT_INVOICE_NUMBER_COLUMN]: postedAs }, '*');
}
