import { randomUUID } from 'node:crypto';
import { eventDate, type BusinessEventPublisher } from './business-events';
import type { FinanceData } from './finance-data';
import { normalizeDate } from './field-values';
import type { FinanceRow } from './finance-state';
import { consumeInvoicedLines } from './inventory';

export type PostingResult =
  { ok: true; invoice: Record<string, unknown> } | { ok: false; status: number; message: string };

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * What an F&O user does with "Post invoice" on a sales order: sales invoice header and lines from the order
 * lines, an invoice number and voucher, order and lines Invoiced, and the "sales order invoice posted" event.
 */
export function postSalesInvoice(
  data: FinanceData,
  events: BusinessEventPublisher,
  company: string,
  salesOrderNumber: string,
  invoiceDate: string,
  /** A number from a block the server preallocated; the company's next number by default. */
  preallocatedNumber?: string,
): PostingResult {
  const order = data.where('salesOrderHeaders', {
    dataAreaId: company,
    SalesOrderNumber: salesOrderNumber,
  })[0];
  if (!order)
    return {
      ok: false,
      status: 404,
      message: `Sales order ${salesOrderNumber} does not exist in company ${company}.`,
    };
  if (order.SalesOrderStatus === 'Invoiced')
    return { ok: false, status: 409, message: `Sales order ${salesOrderNumber} is already invoiced.` };
  const lines = data
    .where('salesOrderLines', { dataAreaId: company, SalesOrderNumber: salesOrderNumber })
    .sort((a, b) => Number(a.LineCreationSequenceNumber) - Number(b.LineCreationSequenceNumber));
  if (lines.length === 0)
    return { ok: false, status: 400, message: `Sales order ${salesOrderNumber} has no lines to invoice.` };

  if (
    preallocatedNumber !== undefined &&
    data.where('salesInvoiceHeaders', { dataAreaId: company, InvoiceNumber: preallocatedNumber }).length > 0
  )
    return { ok: false, status: 409, message: `Invoice number ${preallocatedNumber} is already used.` };
  const invoiceNumber = preallocatedNumber ?? data.nextNumber(`salesInvoice:${company}`, 'CIV-');
  const ledgerVoucher = data.nextNumber(`salesInvoiceVoucher:${company}`, 'ARI-');
  let total = 0;
  let discount = 0;
  const unshipped = lines.filter((line) => line.SalesOrderLineStatus !== 'Delivered');
  for (const line of lines) {
    const amount = lineAmount(line);
    total += amount;
    discount += Number(line.LineDiscountAmount);
    data.insert('salesInvoiceLines', {
      dataAreaId: company,
      InvoiceNumber: invoiceNumber,
      InvoiceDate: invoiceDate,
      LineCreationSequenceNumber: line.LineCreationSequenceNumber,
      SalesOrderNumber: salesOrderNumber,
      ProductNumber: line.ProductNumber,
      ItemNumber: line.ProductNumber,
      LineDescription: line.LineDescription,
      InvoicedQuantity: line.OrderedSalesQuantity,
      SalesUnitSymbol: line.SalesUnitSymbol,
      SalesPrice: line.SalesPrice,
      LineTotalDiscountAmount: line.LineDiscountAmount,
      LineTotalTaxAmount: 0,
      LineAmount: amount,
      CurrencyCode: line.CurrencyCode || order.CurrencyCode,
    });
    data.update(line, { SalesOrderLineStatus: 'Invoiced', LineAmount: amount });
  }
  const invoiceAccount = String(order.InvoiceCustomerAccountNumber || order.OrderingCustomerAccountNumber);
  const dueDate = normalizeDate(Date.parse(invoiceDate) + 30 * 86_400_000);
  const header = data.insert('salesInvoiceHeaders', {
    dataAreaId: company,
    InvoiceNumber: invoiceNumber,
    InvoiceDate: invoiceDate,
    LedgerVoucher: ledgerVoucher,
    SalesOrderNumber: salesOrderNumber,
    SalesOrderOriginType: order.SalesOrderOriginType,
    InvoiceCustomerAccountNumber: invoiceAccount,
    OrderingCustomerAccountNumber: order.OrderingCustomerAccountNumber,
    CurrencyCode: order.CurrencyCode,
    PaymentDueDate: dueDate,
    TotalInvoiceAmount: round(total),
    TotalTaxAmount: 0,
    TotalDiscountAmount: round(discount),
    TotalChargeAmount: 0,
  });
  data.update(order, { SalesOrderStatus: 'Invoiced' });
  consumeInvoicedLines(data, company, unshipped);
  publishInvoicePosted(data, events, header, invoiceAccount);
  return { ok: true, invoice: stripHidden(header) };
}

/** Posts a free text invoice: it gets an invoice number and can no longer be changed. */
export function postFreeTextInvoice(
  data: FinanceData,
  company: string,
  externalInvoiceId: string,
): PostingResult {
  const invoice = data.where('freeTextInvoiceHeaders', {
    dataAreaId: company,
    ExternalInvoiceId: externalInvoiceId,
  })[0];
  if (!invoice)
    return {
      ok: false,
      status: 404,
      message: `Free text invoice ${externalInvoiceId} does not exist in company ${company}.`,
    };
  if (invoice.IsPosted === 'Yes')
    return { ok: false, status: 409, message: `Free text invoice ${externalInvoiceId} is already posted.` };
  const lines = data.where('freeTextInvoiceLines', {
    dataAreaId: company,
    ExternalInvoiceId: externalInvoiceId,
  });
  if (lines.length === 0)
    return { ok: false, status: 400, message: `Free text invoice ${externalInvoiceId} has no lines.` };
  const total = lines.reduce(
    (sum, line) =>
      sum + (Number(line.TransactionCurrencyAmount) || Number(line.Quantity) * Number(line.UnitPrice)),
    0,
  );
  data.update(invoice, {
    IsPosted: 'Yes',
    InvoiceNumber: data.nextNumber(`freeTextInvoice:${company}`, 'FTI-'),
    TotalInvoiceAmount: round(total),
  });
  return { ok: true, invoice: stripHidden(invoice) };
}

function lineAmount(line: FinanceRow): number {
  return round(Number(line.OrderedSalesQuantity) * Number(line.SalesPrice) - Number(line.LineDiscountAmount));
}

function publishInvoicePosted(
  data: FinanceData,
  events: BusinessEventPublisher,
  header: FinanceRow,
  invoiceAccount: string,
): void {
  const now = Date.now();
  const legalEntity = String(header.dataAreaId).toUpperCase();
  events.publish({
    BusinessEventId: 'SalesInvoicePostedBusinessEvent',
    BusinessEventLegalEntity: legalEntity,
    ContextRecordSubject: '',
    ControlNumber: data.nextControlNumber(),
    EventId: randomUUID().toUpperCase(),
    EventTime: eventDate(now),
    EventTimeIso8601: new Date(now).toISOString(),
    InitiatingUserAADObjectId: '{00000000-0000-4000-8000-0000000A0002}',
    MajorVersion: 0,
    MinorVersion: 0,
    ParentContextRecordSubjects: [],
    InvoiceAccount: invoiceAccount,
    InvoiceId: header.InvoiceNumber,
    SalesOrderId: header.SalesOrderNumber,
    InvoiceDate: eventDate(Date.parse(String(header.InvoiceDate))),
    InvoiceDueDate: eventDate(Date.parse(String(header.PaymentDueDate))),
    InvoiceAmountInAccountingCurrency: header.TotalInvoiceAmount,
    InvoiceTaxAmount: header.TotalTaxAmount,
    LegalEntity: legalEntity,
  });
}

function stripHidden(row: FinanceRow): Record<string, unknown> {
  const { RecId: _recId, RecVersion: _recVersion, ...visible } = row;
  return visible;
}
