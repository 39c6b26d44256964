import type { z } from 'zod';
import { financeRecord, text } from './columns';
import { financeEntity } from './entity';

/** `VendorsV2`. */
export const vendorSchema = financeRecord({
  VendorAccountNumber: text,
  VendorOrganizationName: text,
  VendorGroupId: text.optional(),
  CurrencyCode: text.optional(),
});
export type Vendor = z.infer<typeof vendorSchema>;
export const vendors = financeEntity('VendorsV2', ['VendorAccountNumber'], vendorSchema);
