import { z } from 'zod';

/** Why operators are told: a document parked for a person, or an approval that has waited too long. */
export const NOTICE_EVENTS = ['needs-attention', 'approval-reminder'] as const;

/** What a workflow tells its operators; the activity adds the Temporal Web link from its own context. */
export const operatorNoticeSchema = z.object({
  event: z.enum(NOTICE_EVENTS),
  /** The document, e.g. "work order WO-00003". */
  subject: z.string().min(1),
  /** The stage the document is in (for NeedsAttention: the stage that failed). */
  stage: z.string().min(1),
  reason: z.string().min(1),
  /** Since when it waits (ISO 8601). */
  since: z.string().min(1),
  /** What to do, each an exact command or update an operator can run. */
  actions: z.array(z.string().min(1)).min(1),
});
export type OperatorNotice = z.infer<typeof operatorNoticeSchema>;

/** The sinks a notice reached on this attempt or an earlier one (a retry does not send twice). */
export interface NotifyOutcome {
  delivered: string[];
}

/** One line of the digest: a document waiting for a person. */
export interface WaitingDocument {
  workflowId: string;
  subject: string;
  stage: string;
  since: string;
}

export interface DigestOutcome extends NotifyOutcome {
  waiting: number;
}

export interface NotificationActivities {
  /** Tells the configured sinks once per notice (the idempotency key is the activity's own id). */
  notifyOperators(notice: OperatorNotice): Promise<NotifyOutcome>;
  /** Lists the documents in NeedsAttention or AwaitingApproval and sends them as one digest. */
  sendDigest(): Promise<DigestOutcome>;
}
