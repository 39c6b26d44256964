import { z } from 'zod';
import { dataverseRow, dateTime, decimal, guid, lookup, text, wholeNumber } from './columns';
import { dataverseTable } from './table';

/** `account`; `accountnumber` becomes the F&O customer account. */
export const accountSchema = dataverseRow({
  accountid: guid,
  accountnumber: text,
  name: z.string(),
  address1_line1: text.optional(),
  address1_city: text.optional(),
  address1_stateorprovince: text.optional(),
  address1_postalcode: text.optional(),
  address1_country: text.optional(),
  address2_line1: text.optional(),
  address2_city: text.optional(),
  address2_stateorprovince: text.optional(),
  address2_postalcode: text.optional(),
  address2_country: text.optional(),
  telephone1: text.optional(),
  emailaddress1: text.optional(),
  fax: text.optional(),
  websiteurl: text.optional(),
  creditlimit: decimal.optional(),
  /** Relationship type: 3 Customer, 11 Vendor (vendors synced from F&O). */
  customertypecode: wholeNumber.optional(),
  _transactioncurrencyid_value: lookup.optional(),
  /** When the row last changed: the master-data syncs read changes by it. */
  modifiedon: dateTime.optional(),
});
export type Account = z.infer<typeof accountSchema>;
export const accounts = dataverseTable('accounts', 'accountid', accountSchema);
