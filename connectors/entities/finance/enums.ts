import { z } from 'zod';

/**
 * An F&O enum: OData sends members by name (`"FieldServiceProductType": "Inventory"`) and filters
 * need the qualified literal `Microsoft.Dynamics.DataEntities.<Type>'<Member>'`.
 */
export interface FinanceEnum<Member extends string = string> {
  type: string;
  members: readonly Member[];
  schema: z.ZodEnum<{ [M in Member]: M }>;
}

function financeEnum<const Member extends string>(type: string, members: readonly [Member, ...Member[]]) {
  return { type, members, schema: z.enum(members) } as FinanceEnum<Member>;
}

/** Member names from the F&O metadata (docs/dynamics-365-templates.md#fo-enums). */
export const NoYes = financeEnum('NoYes', ['No', 'Yes']);
export const SalesOrderOriginType = financeEnum('SalesOriginType', [
  'NotSpecified',
  'SalesOrderIntegration',
  'WorkOrderIntegration',
]);
export const ExternalWorkOrderStatus = financeEnum('SalesExternalWorkOrderStatus', [
  'OpenUnscheduled',
  'OpenScheduled',
  'OpenInProgress',
  'OpenCompleted',
  'ClosedPosted',
  'ClosedCanceled',
]);
export const FieldServiceProductType = financeEnum('EcoResFieldServiceProductType', [
  'Inventory',
  'NonInventory',
  'Service',
  'NotAvailable',
]);
export const CustomerInvoiceOriginType = financeEnum('CustomerInvoiceOriginType', [
  'AgreementInvoiceIntegration',
]);
export const InventJournalOriginType = financeEnum('InventJournalOriginType', [
  'Journal',
  'ExternalIntegration',
]);
export const SalesStatus = financeEnum('SalesStatus', [
  'None',
  'Backorder',
  'Delivered',
  'Invoiced',
  'Canceled',
]);
export const PurchStatus = financeEnum('PurchStatus', [
  'None',
  'Backorder',
  'Received',
  'Invoiced',
  'Canceled',
]);

/** A purchase order's approval status under change management. */
export const VersioningDocumentState = financeEnum('VersioningDocumentState', [
  'Draft',
  'InReview',
  'Approved',
  'Rejected',
  'InExternalReview',
  'Confirmed',
  'Finalized',
]);

export type EnumMember<E extends FinanceEnum> = E['members'][number];
