import { eq } from '../../connectors';
import { salesInvoiceHeaders, salesInvoiceLines } from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import type { PostedInvoice } from './contract';

/** The first posted F&O invoice of a sales order, with its lines; `null` while there is none. */
export async function findSalesInvoice(
  finance: FinanceClient,
  salesOrderNumber: string,
): Promise<PostedInvoice | null> {
  let header: Record<string, unknown> | undefined;
  for await (const candidate of finance.query(salesInvoiceHeaders, {
    filter: eq('SalesOrderNumber', salesOrderNumber),
    orderBy: ['InvoiceDate', 'InvoiceNumber'],
    top: 1,
  })) {
    header = candidate;
  }
  if (header === undefined) return null;
  const lines: Record<string, unknown>[] = [];
  for await (const line of finance.query(salesInvoiceLines, {
    filter: eq('InvoiceNumber', String(header.InvoiceNumber)),
  })) {
    lines.push(line);
  }
  return {
    invoiceNumber: String(header.InvoiceNumber),
    invoiceDate: String(header.InvoiceDate),
    legalEntity: finance.company,
    salesOrderNumber,
    currency: String(header.CurrencyCode),
    totalAmount: Number(header.TotalInvoiceAmount),
    header,
    lines,
  };
}
