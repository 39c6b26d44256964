/** Where an inventory adjustment's or transfer's workflow is; the `IntegrationStage` search attribute carries it. */
export const Stage = {
  CreatingJournal: 'CreatingJournal',
  AwaitingPosting: 'AwaitingPosting',
  RecordingJournal: 'RecordingJournal',
  Recorded: 'Recorded',
  NeedsAttention: 'NeedsAttention',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];
