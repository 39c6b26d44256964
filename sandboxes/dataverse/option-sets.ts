/** Choice values and labels from the Field Service table reference (docs/dynamics-365-templates.md#option-sets). */
export const workOrderSystemStatus = {
  690970000: 'Open - Unscheduled',
  690970001: 'Open - Scheduled',
  690970002: 'Open - In Progress',
  690970003: 'Open - Completed',
  690970004: 'Closed - Posted',
  690970005: 'Closed - Canceled',
};

export const lineStatus = { 690970000: 'Estimated', 690970001: 'Used' };

export const fieldServiceProductType = {
  690970000: 'Inventory',
  690970001: 'Non-Inventory',
  690970002: 'Service',
};

export const agreementInvoiceStatus = {
  690970000: 'Scheduled',
  690970001: 'Processed',
  690970002: 'Canceled',
};

export const agreementSystemStatus = {
  690970000: 'Estimate',
  690970001: 'Active',
  690970002: 'Expired',
  690970003: 'Canceled',
};

/** The integration solution's Post status on inventory adjustments and transfers (logical name is ours). */
export const postStatus = { 1: 'Created', 2: 'Posted' };

export const productTypeCode = {
  1: 'Sales Inventory',
  2: 'Miscellaneous Charges',
  3: 'Services',
  4: 'Flat Fees',
};

export const customerTypeCode = {
  1: 'Competitor',
  2: 'Consultant',
  3: 'Customer',
  4: 'Investor',
  5: 'Partner',
  6: 'Influencer',
  7: 'Press',
  8: 'Prospect',
  9: 'Reseller',
  10: 'Supplier',
  11: 'Vendor',
  12: 'Other',
};

/** `msdyn_purchaseorder.msdyn_systemstatus`. */
export const purchaseOrderStatus = {
  690970000: 'Draft',
  690970001: 'Submitted',
  690970002: 'Canceled',
  690970003: 'Products Received',
  690970004: 'Billed',
};

/** `msdyn_purchaseorder.msdyn_approvalstatus`: empty while F&O's approval is Draft or In review. */
export const purchaseOrderApprovalStatus = { 690970000: 'Approved', 690970001: 'Rejected' };

/** `msdyn_purchaseorderproduct.msdyn_itemstatus`. */
export const purchaseOrderItemStatus = { 690970000: 'Pending', 690970001: 'Received', 690970002: 'Canceled' };

/**
 * F&O's approval and purchase order statuses as dual-write mirrors them (`>>` transformed maps);
 * Microsoft does not publish the option values, these are ours.
 */
export const documentApprovalStatus = {
  192350000: 'Draft',
  192350001: 'In review',
  192350002: 'Approved',
  192350003: 'Rejected',
  192350004: 'In external review',
  192350005: 'Confirmed',
  192350006: 'Finalized',
};
export const scmPurchaseStatus = {
  192350000: 'None',
  192350001: 'Open order',
  192350002: 'Received',
  192350003: 'Invoiced',
  192350004: 'Canceled',
};

/** The integration solution's `fsfo_invoicingdecision` choice (publisher `fsfo`, choice value prefix 31733). */
export const invoicingDecision = { 317330000: 'Approved', 317330001: 'Rejected' };
