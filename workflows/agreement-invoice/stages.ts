/** Where an agreement invoice's workflow is; the `IntegrationStage` search attribute carries it. */
export const Stage = {
  SyncingFreeTextInvoice: 'SyncingFreeTextInvoice',
  AwaitingApproval: 'AwaitingApproval',
  Rejected: 'Rejected',
  AwaitingPosting: 'AwaitingPosting',
  RecordingPosting: 'RecordingPosting',
  Posted: 'Posted',
  NeedsAttention: 'NeedsAttention',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];
