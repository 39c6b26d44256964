import { z } from 'zod';
import { dataverseRow, dateTime, decimal, guid, lookup, text, wholeNumber, yesNo } from './columns';
import { dataverseTable } from './table';

/**
 * `invoice`, as Field Service generates it from agreement invoice dates. The integration
 * solution's `msdynce_*` columns have UNCONFIRMED logical names (docs/dynamics-365-templates.md#columns-the-integration-solutions-add); these are the
 * names the sandbox uses.
 */
export const invoiceSchema = dataverseRow({
  invoiceid: guid,
  invoicenumber: z.string(),
  name: text.optional(),
  /** Polymorphic (account or contact): read `@Microsoft.Dynamics.CRM.lookuplogicalname` to tell. */
  _customerid_value: lookup,
  _transactioncurrencyid_value: lookup.optional(),
  totalamount: decimal.optional(),
  totallineitemamount: decimal.optional(),
  totaldiscountamount: decimal.optional(),
  totaltax: decimal.optional(),
  statecode: wholeNumber.optional(),
  modifiedon: dateTime.optional(),
  /** Invoice Date, mandatory in F&O. */
  msdynce_invoicedate: dateTime.optional(),
  msdynce_haslineswithagreementorigin: yesNo.optional(),
});
export type Invoice = z.infer<typeof invoiceSchema>;
export const invoices = dataverseTable('invoices', 'invoiceid', invoiceSchema);

/** `invoicedetail`: one invoice line. */
export const invoiceDetailSchema = dataverseRow({
  invoicedetailid: guid,
  _invoiceid_value: lookup,
  _productid_value: lookup,
  productdescription: text.optional(),
  quantity: decimal,
  priceperunit: decimal,
  extendedamount: decimal,
  baseamount: decimal.optional(),
  manualdiscountamount: decimal.optional(),
  tax: decimal.optional(),
  lineitemnumber: wholeNumber.optional(),
  msdynce_hasagreementorigin: yesNo.optional(),
  _uomid_value: lookup.optional(),
});
export type InvoiceDetail = z.infer<typeof invoiceDetailSchema>;
export const invoiceDetails = dataverseTable('invoicedetails', 'invoicedetailid', invoiceDetailSchema);
