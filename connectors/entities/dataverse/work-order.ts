import { z } from 'zod';
import { dataverseRow, dateTime, decimal, guid, lookup, text, wholeNumber, yesNo } from './columns';
import { dataverseTable } from './table';

/** `msdyn_workorder`; `msdyn_name` is the work order number, the integration key. */
export const workOrderSchema = dataverseRow({
  msdyn_workorderid: guid,
  msdyn_name: z.string(),
  /** A `WorkOrderSystemStatus` value. */
  msdyn_systemstatus: wholeNumber,
  /** Added by the integration solution: every product on the order is maintained in F&O. */
  msdynce_hasexternallymaintainedproductsonly: yesNo.optional(),
  _msdyn_serviceaccount_value: lookup,
  _msdyn_billingaccount_value: lookup,
  _transactioncurrencyid_value: lookup.optional(),
  msdyn_address1: text.optional(),
  msdyn_address2: text.optional(),
  msdyn_city: text.optional(),
  msdyn_stateorprovince: text.optional(),
  msdyn_postalcode: text.optional(),
  msdyn_country: text.optional(),
  msdyn_latitude: decimal.optional(),
  msdyn_longitude: decimal.optional(),
  msdyn_datewindowstart: dateTime.optional(),
  modifiedon: dateTime.optional(),
});
export type WorkOrder = z.infer<typeof workOrderSchema>;
export const workOrders = dataverseTable('msdyn_workorders', 'msdyn_workorderid', workOrderSchema);

/**
 * A work order as the watcher and the webhook read it: with the integration solution's decision columns
 * (`fsfo_invoicingdecision`, an `InvoicingDecision`, and its reason) and the user who last changed it.
 */
export const reportedWorkOrderSchema = workOrderSchema.extend({
  fsfo_invoicingdecision: wholeNumber,
  fsfo_invoicingdecisionreason: text,
  _modifiedby_value: lookup,
});
export const reportedWorkOrders = dataverseTable(
  'msdyn_workorders',
  'msdyn_workorderid',
  reportedWorkOrderSchema,
);

/** Collection-valued navigation properties from a work order to its lines, for `$expand`. */
export const WorkOrderLineNavigation = {
  products: 'msdyn_msdyn_workorder_msdyn_workorderproduct_WorkOrder',
  services: 'msdyn_msdyn_workorder_msdyn_workorderservice_WorkOrder',
} as const;
