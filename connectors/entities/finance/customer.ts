import type { z } from 'zod';
import { decimal, financeRecord, text } from './columns';
import { financeEntity } from './entity';
import { NoYes } from './enums';

/** `CustomersV3`; `CustomerAccount` is the Dataverse `accountnumber`. */
export const customerSchema = financeRecord({
  CustomerAccount: text,
  OrganizationName: text,
  CustomerGroupId: text,
  SalesCurrencyCode: text.optional(),
  IsExternallyMaintained: NoYes.schema.optional(),
  PartyType: text.optional(),
  DeliveryAddressStreet: text.optional(),
  DeliveryAddressCity: text.optional(),
  DeliveryAddressStateId: text.optional(),
  DeliveryAddressZipCode: text.optional(),
  DeliveryAddressCountryRegionISOCode: text.optional(),
  PrimaryContactPhone: text.optional(),
  PrimaryContactEmail: text.optional(),
  PrimaryContactFax: text.optional(),
  PrimaryContactURL: text.optional(),
  CreditLimit: decimal.optional(),
});
export type Customer = z.infer<typeof customerSchema>;
export const customers = financeEntity('CustomersV3', ['CustomerAccount'], customerSchema);
