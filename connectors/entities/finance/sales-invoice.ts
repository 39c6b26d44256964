import type { z } from 'zod';
import { date, decimal, financeRecord, integer, text } from './columns';
import { financeEntity } from './entity';

/** `SalesInvoiceHeadersV2`: a posted sales invoice. */
export const salesInvoiceHeaderSchema = financeRecord({
  InvoiceNumber: text,
  InvoiceDate: date,
  LedgerVoucher: text,
  SalesOrderNumber: text,
  InvoiceCustomerAccountNumber: text,
  CurrencyCode: text,
  TotalInvoiceAmount: decimal,
  TotalTaxAmount: decimal.optional(),
  TotalDiscountAmount: decimal.optional(),
  TotalChargeAmount: decimal.optional(),
});
export type SalesInvoiceHeader = z.infer<typeof salesInvoiceHeaderSchema>;
export const salesInvoiceHeaders = financeEntity(
  'SalesInvoiceHeadersV2',
  ['InvoiceNumber', 'InvoiceDate', 'LedgerVoucher'],
  salesInvoiceHeaderSchema,
);

/** `SalesInvoiceLines`. */
export const salesInvoiceLineSchema = financeRecord({
  InvoiceNumber: text,
  InvoiceDate: date,
  LineCreationSequenceNumber: integer,
  ProductNumber: text,
  InvoicedQuantity: decimal,
  SalesPrice: decimal,
  SalesUnitSymbol: text.optional(),
  LineAmount: decimal.optional(),
  LineTotalDiscountAmount: decimal.optional(),
  LineTotalTaxAmount: decimal.optional(),
});
export type SalesInvoiceLine = z.infer<typeof salesInvoiceLineSchema>;
export const salesInvoiceLines = financeEntity(
  'SalesInvoiceLines',
  ['InvoiceNumber', 'LineCreationSequenceNumber', 'InvoiceDate'],
  salesInvoiceLineSchema,
);
