import { ge, type FinanceClient } from '../../connectors';
import { salesInvoiceHeaders } from '../../connectors/entities/finance';
import type { InvoiceWatermark, PostedInvoiceNotice } from './contract';

export interface PostedInvoice {
  notice: PostedInvoiceNotice;
  /** The watermark once this invoice is handled. */
  watermark: InvoiceWatermark;
}

/**
 * Posted sales invoices (`SalesInvoiceHeadersV2`) of every company, dated on or after the watermark's
 * date, that it has not seen yet, oldest first; one page in memory at a time.
 */
export async function* postedInvoices(
  finance: FinanceClient,
  after: InvoiceWatermark,
): AsyncGenerator<PostedInvoice> {
  const day = new Date(after.invoiceDate);
  let watermark = after;
  const records = finance.queryAllCompanies(salesInvoiceHeaders, {
    filter: ge('InvoiceDate', day),
    orderBy: ['InvoiceDate', 'dataAreaId', 'InvoiceNumber'],
  });
  for await (const record of records) {
    const key = `${record.dataAreaId}/${record.InvoiceNumber}`;
    const sameDay = Date.parse(record.InvoiceDate) === Date.parse(watermark.invoiceDate);
    if (sameDay && watermark.seen.includes(key)) continue;
    watermark = sameDay
      ? { invoiceDate: watermark.invoiceDate, seen: [...watermark.seen, key] }
      : { invoiceDate: record.InvoiceDate, seen: [key] };
    yield {
      notice: {
        salesOrderNumber: record.SalesOrderNumber,
        invoiceNumber: record.InvoiceNumber,
        legalEntity: record.dataAreaId,
      },
      watermark,
    };
  }
}
