import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';

/** Required text; a missing or non-text value says what to give (`what`, e.g. "name who approves"). */
const requiredText = (what: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? `${what} (required)` : `${what} as text`),
  });

/** The person deciding, by name or e-mail; `role` says what they do, e.g. "who approves". */
const identity = (role: string) =>
  requiredText(`name ${role}`).trim().min(1, `name ${role} (blank is not a name)`).max(200);

/**
 * Where a decision was taken: `field-service` (the work order's decision column, by the watcher or the
 * webhook), `cli` (`fsfo`), `temporal` (an update sent from Temporal Web or the `temporal` CLI; the default).
 */
export const decisionChannelSchema = z.enum(['field-service', 'temporal', 'cli']);
export type DecisionChannel = z.infer<typeof decisionChannelSchema>;

/**
 * A GUID. Not `z.guid()`: the workflows' shared zod is frozen, and its format checks reset their shared
 * pattern's `lastIndex`, which a frozen RegExp refuses; a pattern of this module is the workflow's own.
 */
const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

/** The Dataverse user who took a decision in Field Service, as the row's `modifiedby` or the webhook names them. */
export const decidingUserSchema = z.object({
  id: guid,
  email: z.string().max(320).optional(),
  objectId: guid.optional(),
});
export type DecidingUser = z.infer<typeof decidingUserSchema>;

/** How a decision names its channel and, from Field Service, its Dataverse user. */
const provenance = { channel: decisionChannelSchema.optional(), user: decidingUserSchema.optional() };

export const approveInvoicingSchema = z.object({
  approvedBy: identity('who approves'),
  comment: z.string().max(2000).optional(),
  ...provenance,
});
export type ApproveInvoicing = z.infer<typeof approveInvoicingSchema>;

export const rejectInvoicingSchema = z.object({
  rejectedBy: identity('who rejects'),
  reason: requiredText('give the reason the technician must act on')
    .trim()
    .min(1, 'a rejection needs a reason the technician can act on')
    .max(2000),
  ...provenance,
});
export type RejectInvoicing = z.infer<typeof rejectInvoicingSchema>;

export const retrySchema = z.object({ requestedBy: identity('who retries').optional() }).default({});
export type Retry = z.infer<typeof retrySchema>;

/**
 * An operator's messages to an integration workflow, typed by the state it returns. Updates give the
 * caller an answer and are refused unless the workflow waits for that decision; the same decisions
 * as signals serve tools that can only signal (an invalid one is logged and dropped).
 */
export function decisionMessages<State>() {
  return {
    approveInvoicingUpdate: defineUpdate<State, [ApproveInvoicing]>('approveInvoicing'),
    rejectInvoicingUpdate: defineUpdate<State, [RejectInvoicing]>('rejectInvoicing'),
    retryUpdate: defineUpdate<State, [Retry]>('retry'),
    approveInvoicingSignal: defineSignal<[ApproveInvoicing]>('approveInvoicing'),
    rejectInvoicingSignal: defineSignal<[RejectInvoicing]>('rejectInvoicing'),
    retrySignal: defineSignal<[Retry?]>('retry'),
    statusQuery: defineQuery<State>('status'),
  };
}
export type DecisionMessages<State> = ReturnType<typeof decisionMessages<State>>;
