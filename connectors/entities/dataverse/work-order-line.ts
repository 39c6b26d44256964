import type { z } from 'zod';
import { dataverseRow, decimal, guid, lookup, text, wholeNumber, yesNo } from './columns';
import { dataverseTable } from './table';

/** Columns product and service lines share, including the copies of header fields the integration solution adds. */
const lineColumns = {
  msdyn_name: text,
  _msdyn_workorder_value: lookup,
  _msdyn_unit_value: lookup.optional(),
  msdyn_lineorder: wholeNumber,
  /** A `WorkOrderLineStatus` value. */
  msdyn_linestatus: wholeNumber,
  msdyn_description: text.optional(),
  msdyn_estimateunitamount: decimal.optional(),
  msdyn_estimatediscountamount: decimal.optional(),
  msdyn_unitamount: decimal.optional(),
  msdyn_discountamount: decimal.optional(),
  msdyn_totalamount: decimal.optional(),
  _transactioncurrencyid_value: lookup.optional(),
  /** Copy of the work order's `msdyn_systemstatus`, kept by the integration solution for filtering. */
  msdynce_headersystemstatus: wholeNumber.optional(),
  msdynce_orderhasexternalmaintainedproductsonly: yesNo.optional(),
};

/** `msdyn_workorderproduct`: quantities are decimals. */
export const workOrderProductSchema = dataverseRow({
  msdyn_workorderproductid: guid,
  ...lineColumns,
  _msdyn_product_value: lookup,
  _msdyn_warehouse_value: lookup.optional(),
  msdyn_allocated: yesNo,
  msdyn_estimatequantity: decimal,
  msdyn_quantity: decimal,
});
export type WorkOrderProduct = z.infer<typeof workOrderProductSchema>;
export const workOrderProducts = dataverseTable(
  'msdyn_workorderproducts',
  'msdyn_workorderproductid',
  workOrderProductSchema,
);

/** `msdyn_workorderservice`: durations are whole minutes. */
export const workOrderServiceSchema = dataverseRow({
  msdyn_workorderserviceid: guid,
  ...lineColumns,
  _msdyn_service_value: lookup,
  msdyn_estimateduration: wholeNumber,
  msdyn_duration: wholeNumber,
  msdyn_durationtobill: wholeNumber.optional(),
});
export type WorkOrderService = z.infer<typeof workOrderServiceSchema>;
export const workOrderServices = dataverseTable(
  'msdyn_workorderservices',
  'msdyn_workorderserviceid',
  workOrderServiceSchema,
);
