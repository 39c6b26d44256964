import type { z } from 'zod';
import { dataverseRow, dateTime, decimal, guid, lookup, text, wholeNumber } from './columns';
import { dataverseTable } from './table';

/** `msdyn_agreementinvoicedate`: Field Service turns a Scheduled date into an invoice when it comes due. */
export const agreementInvoiceDateSchema = dataverseRow({
  msdyn_agreementinvoicedateid: guid,
  msdyn_invoicedate: dateTime,
  /** An `AgreementInvoiceStatus` value. */
  msdyn_invoicestatus: wholeNumber,
  _msdyn_agreement_value: lookup,
  msdyn_name: text.optional(),
});
export type AgreementInvoiceDate = z.infer<typeof agreementInvoiceDateSchema>;
export const agreementInvoiceDates = dataverseTable(
  'msdyn_agreementinvoicedates',
  'msdyn_agreementinvoicedateid',
  agreementInvoiceDateSchema,
);

/** `msdyn_agreementinvoiceproduct`: a product billed on each agreement invoice. */
export const agreementInvoiceProductSchema = dataverseRow({
  msdyn_agreementinvoiceproductid: guid,
  msdyn_name: text,
  _msdyn_agreement_value: lookup,
  _msdyn_product_value: lookup,
  msdyn_quantity: decimal,
  _msdyn_unit_value: lookup.optional(),
});
export type AgreementInvoiceProduct = z.infer<typeof agreementInvoiceProductSchema>;
export const agreementInvoiceProducts = dataverseTable(
  'msdyn_agreementinvoiceproducts',
  'msdyn_agreementinvoiceproductid',
  agreementInvoiceProductSchema,
);
