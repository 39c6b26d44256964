import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes operators filter on in Temporal Web and `temporal workflow list`. */
export const WorkOrderNumber = defineSearchAttributeKey('WorkOrderNumber', SearchAttributeType.KEYWORD);
export const IntegrationStage = defineSearchAttributeKey('IntegrationStage', SearchAttributeType.KEYWORD);
export const SalesOrderNumber = defineSearchAttributeKey('SalesOrderNumber', SearchAttributeType.KEYWORD);
export const CustomerAccount = defineSearchAttributeKey('CustomerAccount', SearchAttributeType.KEYWORD);
export const LegalEntity = defineSearchAttributeKey('LegalEntity', SearchAttributeType.KEYWORD);
export const AgreementNumber = defineSearchAttributeKey('AgreementNumber', SearchAttributeType.KEYWORD);
export const InvoiceNumber = defineSearchAttributeKey('InvoiceNumber', SearchAttributeType.KEYWORD);
export const PurchaseOrderNumber = defineSearchAttributeKey(
  'PurchaseOrderNumber',
  SearchAttributeType.KEYWORD,
);
export const VendorAccount = defineSearchAttributeKey('VendorAccount', SearchAttributeType.KEYWORD);
/** Why a workflow in NeedsAttention waits for a person (its first characters); absent in any other stage. */
export const AttentionReason = defineSearchAttributeKey('AttentionReason', SearchAttributeType.KEYWORD);

/** Every key the workflows set; `npm start`, `fsfo setup` and the test server register them all. */
export const SEARCH_ATTRIBUTES = [
  WorkOrderNumber,
  IntegrationStage,
  SalesOrderNumber,
  CustomerAccount,
  LegalEntity,
  AgreementNumber,
  InvoiceNumber,
  PurchaseOrderNumber,
  VendorAccount,
  AttentionReason,
];
