/** Where a work order's workflow is; the `IntegrationStage` search attribute carries it. */
export const Stage = {
  SyncingMasterData: 'SyncingMasterData',
  CreatingSalesOrder: 'CreatingSalesOrder',
  AwaitingApproval: 'AwaitingApproval',
  AwaitingInvoice: 'AwaitingInvoice',
  RecordingInvoice: 'RecordingInvoice',
  Invoiced: 'Invoiced',
  /** Cancelled in Field Service before approval: ended, the F&O order left to F&O. */
  Canceled: 'Canceled',
  Rejected: 'Rejected',
  NeedsAttention: 'NeedsAttention',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];
