import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { z } from 'zod';
import type { Duration } from '@temporalio/common';
import { IntegrationStage } from '../search-attributes';
import {
  type ApprovalPolicy,
  approvalRequired,
  type Approvers,
  mayDecide,
} from '../../config/approval-policy';
import {
  approveInvoicingSchema,
  type DecidingUser,
  type DecisionChannel,
  type DecisionMessages,
  type RejectInvoicing,
  rejectInvoicingSchema,
  retrySchema,
} from './decisions';

export interface Approval {
  approvedBy: string;
  approvedAt: string;
  comment?: string;
  /** Where it was given; `policy` when the approval policy waived it. */
  channel?: DecisionChannel | 'policy';
  /** The Dataverse user (`systemuserid`) who approved in Field Service. */
  userId?: string;
}

export interface Rejection {
  rejectedBy: string;
  rejectedAt: string;
  reason: string;
  channel?: DecisionChannel;
  userId?: string;
}

/** The last decision refused because its author is not on the approvers list. */
export interface RefusedDecision {
  decision: 'approve' | 'reject';
  by: string;
  channel: DecisionChannel;
  at: string;
  reason: string;
}

/** What every integration workflow keeps and shows: its stage, the decisions taken, what needs a person. */
export interface IntegrationState {
  stage: string;
  /** What the workflow is waiting for, in a sentence (also shown in Temporal Web). */
  waitingFor: string;
  approval?: Approval;
  rejections: Rejection[];
  attention?: { reason: string; stage: string; since: string };
  refusal?: RefusedDecision;
}

const AWAITING_APPROVAL = 'AwaitingApproval';
const NEEDS_ATTENTION = 'NeedsAttention';

/** A refusal an operator reads in one line: each problem as `field: what is wrong`. */
function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    );
    throw ApplicationFailure.nonRetryable(problems.join('; '), 'InvalidInput');
  }
  return parsed.data;
}

export type Decision = 'approved' | 'rejected' | 'interrupted';

/**
 * The machinery integration workflows share: stages (the `IntegrationStage` search attribute and the
 * current details in Temporal Web), steps whose business failures park the workflow in
 * `NeedsAttention` until a retry, and approval by update or signal. Construct it first thing in the
 * workflow, so no message can arrive before its handler.
 */
export class IntegrationFlow<State extends IntegrationState> {
  readonly state: State;
  readonly #subject: string;
  readonly #continueWith: (state: State) => { resumeFrom?: State };
  readonly #approvers: Approvers;
  #retryRequested = false;
  #rejection: RejectInvoicing | undefined;

  /**
   * `subject` names the document in refusals, e.g. "work order WO-00003"; `continueWith` gives the input a
   * run continued as new starts from (the workflow's input with `resumeFrom: state`); `approvers` who may
   * approve or reject (empty: anyone), from the workflow's input.
   */
  constructor(
    state: State,
    subject: string,
    messages: DecisionMessages<State>,
    continueWith: (state: State) => { resumeFrom?: State },
    approvers: Approvers = [],
  ) {
    this.state = state;
    this.#subject = subject;
    this.#continueWith = continueWith;
    this.#approvers = approvers;
    this.#handleDecisions(messages);
    setHandler(messages.statusQuery, () => state);
  }

  /** Approve, reject and retry, each as an update (validated before it reaches history) and as a signal. */
  #handleDecisions(messages: DecisionMessages<State>): void {
    const { state } = this;
    const approve = (args: unknown) => {
      const { approvedBy, comment, channel = 'temporal', user } = parseOrThrow(approveInvoicingSchema, args);
      this.#requireApprover('approve', approvedBy, channel, user);
      state.approval = {
        approvedBy,
        approvedAt: new Date().toISOString(),
        comment,
        channel,
        userId: user?.id,
      };
      return state;
    };
    const reject = (args: unknown) => {
      const rejection = parseOrThrow(rejectInvoicingSchema, args);
      this.#requireApprover('reject', rejection.rejectedBy, rejection.channel ?? 'temporal', rejection.user);
      this.#rejection = rejection;
      return state;
    };
    const retry = (args?: unknown) => {
      parseOrThrow(retrySchema, args);
      this.#retryRequested = true;
      return state;
    };
    // Validators run before anything is written to history: a refused update changes nothing.
    const validator = (stage: string, action: string, schema: z.ZodType) => (args?: unknown) => {
      this.#requireStage(stage, action);
      parseOrThrow(schema, args);
    };
    setHandler(messages.approveInvoicingUpdate, approve, {
      validator: validator(AWAITING_APPROVAL, 'approve invoicing', approveInvoicingSchema),
    });
    setHandler(messages.rejectInvoicingUpdate, reject, {
      validator: validator(AWAITING_APPROVAL, 'reject invoicing', rejectInvoicingSchema),
    });
    setHandler(messages.retryUpdate, retry, { validator: validator(NEEDS_ATTENTION, 'retry', retrySchema) });

    // Signals cannot be refused: one that is invalid or comes in the wrong stage is logged and dropped.
    const asSignal =
      (handler: (args: unknown) => unknown, stage: string, name: string) =>
      (args?: unknown): void => {
        try {
          this.#requireStage(stage, name);
          handler(args);
        } catch (err) {
          log.warn(`Ignored signal ${name}`, { error: err instanceof Error ? err.message : String(err) });
        }
      };
    setHandler(messages.approveInvoicingSignal, asSignal(approve, AWAITING_APPROVAL, 'approveInvoicing'));
    setHandler(messages.rejectInvoicingSignal, asSignal(reject, AWAITING_APPROVAL, 'rejectInvoicing'));
    setHandler(messages.retrySignal, asSignal(retry, NEEDS_ATTENTION, 'retry'));
  }

  /**
   * Refuses a decision whose author is not on the approvers list. Checked in the handler, not the
   * validator: a validator's refusal leaves no trace in history, and the refusal must stay in the state
   * (`refusal`, shown by `status`) for whoever wonders why the decision did not count.
   */
  #requireApprover(
    decision: 'approve' | 'reject',
    by: string,
    channel: DecisionChannel,
    user: DecidingUser | undefined,
  ): void {
    if (mayDecide(this.#approvers, [by, user?.id, user?.email, user?.objectId])) return;
    const reason = `${by} (${channel}) is not on the approvers list (APPROVERS)`;
    this.state.refusal = { decision, by, channel, at: new Date().toISOString(), reason };
    log.warn(`Refused to ${decision} invoicing`, { reason });
    throw ApplicationFailure.nonRetryable(
      `Cannot ${decision} invoicing of ${this.#subject}: ${reason}`,
      'NotAnApprover',
    );
  }

  #requireStage(expected: string, action: string): void {
    if (this.state.stage !== expected) {
      throw ApplicationFailure.nonRetryable(
        `Cannot ${action}: ${this.#subject} is ${this.state.stage}, not ${expected}`,
        'WrongStage',
      );
    }
  }

  /** The search attribute is written on a change of stage only: each write is a history event. */
  setStage(stage: string, waitingFor: string): void {
    if (stage !== this.state.stage) upsertSearchAttributes([{ key: IntegrationStage, value: stage }]);
    this.state.stage = stage;
    this.state.waitingFor = waitingFor;
    setCurrentDetails(`**${stage}**: waiting for ${waitingFor}`);
  }

  /**
   * Waits until `until()` (or the timeout: then false). A history grown long in the meantime, e.g. from
   * many signals while the document waits for a person, continues as new and the new run waits again.
   */
  async wait(until: () => boolean, timeout?: Duration): Promise<boolean> {
    const woken = () => until() || workflowInfo().continueAsNewSuggested;
    const met =
      timeout === undefined ? await condition(woken).then(() => true) : await condition(woken, timeout);
    if (met && !until()) await this.continueAsNew();
    return met;
  }

  /** Ends this run and starts a new one from the state, once the handlers running now have finished. */
  async continueAsNew(): Promise<never> {
    await condition(allHandlersFinished);
    return continueAsNew(this.#continueWith(this.state));
  }

  /**
   * Runs a step; a business failure parks the workflow in NeedsAttention until a retry (or until
   * `retryWhen()`, e.g. the source document changed), then runs it again.
   */
  async step<T>(
    stage: string,
    waitingFor: string,
    run: () => Promise<T>,
    retryWhen = () => false,
  ): Promise<T> {
    this.setStage(stage, waitingFor);
    for (;;) {
      try {
        return await run();
      } catch (err) {
        if (!(err instanceof ActivityFailure || err instanceof ApplicationFailure)) throw err;
        const reason = err.cause instanceof ApplicationFailure ? err.cause.message : err.message;
        this.state.attention = { reason, stage, since: new Date().toISOString() };
        this.#retryRequested = false;
        this.setStage(
          NEEDS_ATTENTION,
          `the data to be fixed and a retry (update or signal "retry"): ${reason}`,
        );
        await this.wait(() => this.#retryRequested || retryWhen());
        this.state.attention = undefined;
        this.setStage(stage, waitingFor);
      }
    }
  }

  /**
   * Asks for approval unless the policy waives it (then the policy is recorded as the approver), and
   * waits for approval, rejection, or `interrupted()` (e.g. the source document changed).
   */
  async decide(policy: ApprovalPolicy, amount: number, interrupted: () => boolean): Promise<Decision> {
    if (!approvalRequired(policy, amount)) {
      this.state.approval = {
        approvedBy: `approval policy "${policy}"`,
        approvedAt: new Date().toISOString(),
        channel: 'policy',
      };
      return 'approved';
    }
    this.setStage(AWAITING_APPROVAL, 'an operator to approve or reject invoicing (update approveInvoicing)');
    await this.wait(
      () => this.state.approval !== undefined || this.#rejection !== undefined || interrupted(),
    );
    if (this.state.approval) return 'approved';
    if (this.#rejection) {
      const { rejectedBy, reason, channel = 'temporal', user } = this.#rejection;
      this.#rejection = undefined;
      this.state.rejections.push({
        rejectedBy,
        reason,
        rejectedAt: new Date().toISOString(),
        channel,
        userId: user?.id,
      });
      return 'rejected';
    }
    return 'interrupted';
  }

  /** The reason of the latest rejection. */
  get lastRejection(): Rejection | undefined {
    return this.state.rejections.at(-1);
  }
}
