/** Choice (option-set) values the flows filter and map on (docs/dynamics-365-templates.md#option-sets). */

/** `msdyn_workorder.msdyn_systemstatus` */
export const WorkOrderSystemStatus = {
  OpenUnscheduled: 690970000,
  OpenScheduled: 690970001,
  OpenInProgress: 690970002,
  OpenCompleted: 690970003,
  ClosedPosted: 690970004,
  ClosedCanceled: 690970005,
} as const;
export type WorkOrderSystemStatus = (typeof WorkOrderSystemStatus)[keyof typeof WorkOrderSystemStatus];

/**
 * `msdyn_workorder.fsfo_invoicingdecision`: the integration solution's choice (publisher `fsfo`, choice
 * value prefix 31733) a service manager sets to approve or reject invoicing in Field Service.
 */
export const InvoicingDecision = {
  Approved: 317330000,
  Rejected: 317330001,
} as const;

/** `msdyn_workorderproduct.msdyn_linestatus` and `msdyn_workorderservice.msdyn_linestatus` */
export const WorkOrderLineStatus = {
  Estimated: 690970000,
  Used: 690970001,
} as const;
export type WorkOrderLineStatus = (typeof WorkOrderLineStatus)[keyof typeof WorkOrderLineStatus];

/** `product.msdyn_fieldserviceproducttype` */
export const FieldServiceProductType = {
  Inventory: 690970000,
  NonInventory: 690970001,
  Service: 690970002,
} as const;
export type FieldServiceProductType = (typeof FieldServiceProductType)[keyof typeof FieldServiceProductType];

/** `msdyn_agreementinvoicedate.msdyn_invoicestatus` (global choice `msdyn_agreementinvoicestatus`) */
export const AgreementInvoiceStatus = {
  Scheduled: 690970000,
  Processed: 690970001,
  Canceled: 690970002,
} as const;
export type AgreementInvoiceStatus = (typeof AgreementInvoiceStatus)[keyof typeof AgreementInvoiceStatus];

/** Post status of inventory adjustments and transfers, added by the integration solution. */
export const InventoryPostStatus = {
  Created: 1,
  Posted: 2,
} as const;
export type InventoryPostStatus = (typeof InventoryPostStatus)[keyof typeof InventoryPostStatus];

/** `msdyn_purchaseorder.msdyn_systemstatus` */
export const PurchaseOrderSystemStatus = {
  Draft: 690970000,
  Submitted: 690970001,
  Canceled: 690970002,
  ProductsReceived: 690970003,
  Billed: 690970004,
} as const;
export type PurchaseOrderSystemStatus =
  (typeof PurchaseOrderSystemStatus)[keyof typeof PurchaseOrderSystemStatus];

/** `msdyn_purchaseorder.msdyn_approvalstatus`; empty while F&O's approval is Draft or In review. */
export const PurchaseOrderApprovalStatus = { Approved: 690970000, Rejected: 690970001 } as const;

/** `msdyn_purchaseorderproduct.msdyn_itemstatus` */
export const PurchaseOrderItemStatus = {
  Pending: 690970000,
  Received: 690970001,
  Canceled: 690970002,
} as const;
