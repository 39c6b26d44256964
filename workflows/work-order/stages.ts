/** Where a work order's workflow is; the `IntegrationStage` search attribute carries it. */
export const Stage = {
  SyncingMasterData: 'SyncingMasterData',
  CreatingSalesOrder: 'CreatingSalesOrder',
  AwaitingApproval: 'AwaitingApproval',
  AwaitingInvoice: 'AwaitingInvoice',
  RecordingInvoice: 'RecordingInvoice',
  Invoiced: 'Invoiced',
  Rejected: 'Rejected',
  NeedsAttention: 'NeedsAttention',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];
