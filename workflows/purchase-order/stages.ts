/** Where a purchase order's workflow is; the `IntegrationStage` search attribute carries it. */
export const Stage = {
  SyncingPurchaseOrder: 'SyncingPurchaseOrder',
  AwaitingFinanceApproval: 'AwaitingFinanceApproval',
  RejectedInFinance: 'RejectedInFinance',
  AwaitingReceipt: 'AwaitingReceipt',
  UpdatingFieldService: 'UpdatingFieldService',
  RecordingReceipt: 'RecordingReceipt',
  Received: 'Received',
  Canceled: 'Canceled',
  NeedsAttention: 'NeedsAttention',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];
