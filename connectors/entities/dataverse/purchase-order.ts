import type { z } from 'zod';
import { dataverseRow, dateTime, decimal, guid, lookup, text, wholeNumber } from './columns';
import { dataverseTable } from './table';

/** `msdyn_vendor`: an F&O vendor as dual-write keeps it in Field Service (purchase orders name accounts). */
export const fieldServiceVendorSchema = dataverseRow({
  msdyn_vendorid: guid,
  msdyn_vendoraccountnumber: text,
  msdyn_name: text.optional(),
  msdyn_vendorgroup: text.optional(),
  _transactioncurrencyid_value: lookup.optional(),
});
export type FieldServiceVendor = z.infer<typeof fieldServiceVendorSchema>;
export const fieldServiceVendors = dataverseTable(
  'msdyn_vendors',
  'msdyn_vendorid',
  fieldServiceVendorSchema,
);

/** `msdyn_purchaseorder`; `msdyn_name` is the F&O `PurchaseOrderNumber`. The vendor is an account. */
export const purchaseOrderSchema = dataverseRow({
  msdyn_purchaseorderid: guid,
  msdyn_name: text,
  _msdyn_vendor_value: lookup,
  _msdyn_receivetowarehouse_value: lookup.optional(),
  msdyn_dateexpected: dateTime.optional(),
  msdyn_systemstatus: wholeNumber,
  msdyn_approvalstatus: wholeNumber.optional(),
  /** F&O's approval and order statuses as dual-write mirrors them (option values are the sandbox's). */
  msdyn_documentapprovalstatus: wholeNumber.optional(),
  msdyn_purchaseorderstatus: wholeNumber.optional(),
  _transactioncurrencyid_value: lookup.optional(),
  /** When the row last changed: the purchase order watcher reads changes by it. */
  modifiedon: dateTime.optional(),
});
export type PurchaseOrder = z.infer<typeof purchaseOrderSchema>;
export const purchaseOrders = dataverseTable(
  'msdyn_purchaseorders',
  'msdyn_purchaseorderid',
  purchaseOrderSchema,
);

/** `msdyn_purchaseorderproduct`; `msdyn_lineorder` is the F&O `LineNumber`. */
export const purchaseOrderProductSchema = dataverseRow({
  msdyn_purchaseorderproductid: guid,
  _msdyn_purchaseorder_value: lookup,
  msdyn_lineorder: wholeNumber,
  _msdyn_product_value: lookup,
  msdyn_quantity: decimal,
  _msdyn_unit_value: lookup.optional(),
  _msdyn_associatetowarehouse_value: lookup.optional(),
  msdyn_unitcost: decimal.optional(),
  msdyn_lineamount: decimal.optional(),
  msdyn_discountamount: decimal.optional(),
  msdyn_discountpercentage: decimal.optional(),
  msdyn_qtyreceived: decimal.optional(),
  msdyn_itemstatus: wholeNumber.optional(),
  msdyn_purchaseorderlinestatus: wholeNumber.optional(),
});
export type PurchaseOrderProduct = z.infer<typeof purchaseOrderProductSchema>;
export const purchaseOrderProducts = dataverseTable(
  'msdyn_purchaseorderproducts',
  'msdyn_purchaseorderproductid',
  purchaseOrderProductSchema,
);

/** `msdyn_purchaseorderreceipt`: receipts are created in F&O only; `msdyn_recordid` is its `RecordId`. */
export const purchaseOrderReceiptSchema = dataverseRow({
  msdyn_purchaseorderreceiptid: guid,
  msdyn_name: text,
  msdyn_recordid: wholeNumber,
  _msdyn_purchaseorder_value: lookup,
  _msdyn_ordervendor_value: lookup.optional(),
  msdyn_datereceived: dateTime.optional(),
});
export type PurchaseOrderReceipt = z.infer<typeof purchaseOrderReceiptSchema>;
export const purchaseOrderReceipts = dataverseTable(
  'msdyn_purchaseorderreceipts',
  'msdyn_purchaseorderreceiptid',
  purchaseOrderReceiptSchema,
);

/** `msdyn_purchaseorderreceiptproduct`: a received quantity of one purchase order line. */
export const purchaseOrderReceiptProductSchema = dataverseRow({
  msdyn_purchaseorderreceiptproductid: guid,
  msdyn_recordid: wholeNumber,
  _msdyn_purchaseorderreceipt_value: lookup,
  _msdyn_purchaseorderproduct_value: lookup,
  _msdyn_product_value: lookup.optional(),
  _msdyn_associatetowarehouse_value: lookup.optional(),
  msdyn_quantity: decimal,
});
export type PurchaseOrderReceiptProduct = z.infer<typeof purchaseOrderReceiptProductSchema>;
export const purchaseOrderReceiptProducts = dataverseTable(
  'msdyn_purchaseorderreceiptproducts',
  'msdyn_purchaseorderreceiptproductid',
  purchaseOrderReceiptProductSchema,
);
