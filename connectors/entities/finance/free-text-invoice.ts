import type { z } from 'zod';
import { date, decimal, financeRecord, text } from './columns';
import { financeEntity } from './entity';
import { NoYes } from './enums';

/** `CDSFreeTextInvoiceHeaders`; `ExternalInvoiceId` is the Field Service invoice number. */
export const freeTextInvoiceHeaderSchema = financeRecord({
  ExternalInvoiceId: text,
  CustomerAccount: text,
  InvoiceAccount: text.optional(),
  /** Mandatory in F&O. */
  InvoiceDate: date,
  CurrencyCode: text,
  /** A `CustomerInvoiceOriginType` member; other members exist, so it is not narrowed here. */
  InvoiceOriginType: text.optional(),
  /** Once posted, Field Service changes can no longer be applied. */
  IsPosted: NoYes.schema.optional(),
});
export type FreeTextInvoiceHeader = z.infer<typeof freeTextInvoiceHeaderSchema>;
export const freeTextInvoiceHeaders = financeEntity(
  'CDSFreeTextInvoiceHeaders',
  ['ExternalInvoiceId'],
  freeTextInvoiceHeaderSchema,
);

/** `CDSFreeTextInvoiceLines`. */
export const freeTextInvoiceLineSchema = financeRecord({
  ExternalInvoiceId: text,
  LineNumber: decimal,
  Description: text.optional(),
  InvoiceText: text.optional(),
  Quantity: decimal,
  UnitPrice: decimal,
  TransactionCurrencyAmount: decimal.optional(),
  /** The template defaults it to `401100`; tenants change it. */
  MainAccountDisplayValue: text,
});
export type FreeTextInvoiceLine = z.infer<typeof freeTextInvoiceLineSchema>;
export const freeTextInvoiceLines = financeEntity(
  'CDSFreeTextInvoiceLines',
  ['ExternalInvoiceId', 'LineNumber'],
  freeTextInvoiceLineSchema,
);
