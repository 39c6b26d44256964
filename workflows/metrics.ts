import { metricMeter } from '@temporalio/workflow';

/**
 * The product's metrics emitted by workflow code (docs/OPERATING.md, "Metrics"). The SDK drops a
 * workflow's metric calls while it replays history, so each counts what happened once, not again when
 * an evicted or recovered workflow is replayed; it adds the labels `namespace`, `taskQueue` and
 * `workflowType`. Metric objects are made per call and not kept: nothing stays in a cached workflow.
 */
export const WORKFLOW_METRICS = {
  stageEntered: 'fsfo_stage_entered',
  needsAttentionEntered: 'fsfo_needs_attention_entered',
  approvalDecisions: 'fsfo_approval_decisions',
  syncRecords: 'fsfo_sync_records',
} as const;

/** A document entered `stage` (the `IntegrationStage` search attribute changed to it). */
export function countStageEntered(stage: string): void {
  metricMeter
    .createCounter(WORKFLOW_METRICS.stageEntered, '', 'Documents that entered an integration stage')
    .add(1, { stage });
}

/** A step of `stage` failed for a reason a person must fix; `reasonClass` is the failure's type. */
export function countNeedsAttention(stage: string, reasonClass: string): void {
  metricMeter
    .createCounter(
      WORKFLOW_METRICS.needsAttentionEntered,
      '',
      'Documents parked in NeedsAttention, by the stage that failed and the failure type',
    )
    .add(1, { stage, reason_class: reasonClass });
}

/** An approval decision that took effect, or one refused because its author is not an approver. */
export function countApprovalDecision(decision: 'approved' | 'rejected' | 'refused', channel: string): void {
  metricMeter
    .createCounter(WORKFLOW_METRICS.approvalDecisions, '', 'Invoicing decisions by decision and channel')
    .add(1, { decision, channel });
}

/** What one page (or retry list) of a master-data sync did to the destination. */
export function countSyncRecords(
  sync: string,
  counts: { created: number; updated: number; unchanged: number; failed: unknown[] },
): void {
  const records = metricMeter.createCounter(
    WORKFLOW_METRICS.syncRecords,
    '',
    'Records a master-data sync created, updated, found unchanged or failed',
  );
  records.add(counts.created, { sync, outcome: 'created' });
  records.add(counts.updated, { sync, outcome: 'updated' });
  records.add(counts.unchanged, { sync, outcome: 'unchanged' });
  records.add(counts.failed.length, { sync, outcome: 'failed' });
}
