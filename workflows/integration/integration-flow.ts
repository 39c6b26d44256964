import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { z } from 'zod';
import type { Duration, SearchAttributeUpdatePair } from '@temporalio/common';
import type { NotificationActivities, OperatorNotice } from '../../activities/notifications/contract';
import { countApprovalDecision, countNeedsAttention, countStageEntered } from '../metrics';
import { AttentionReason, IntegrationStage } from '../search-attributes';
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
  /** Approval asked since, and whether the reminder went out (kept across continue-as-new: one per wait). */
  approvalWait?: { since: string; reminded: boolean };
  refusal?: RefusedDecision;
}

// Not awaited: the workflow waits for its person whether or not a sink answers. A sink down retries for
// a day; a short heartbeat timeout lets a retry after a lost worker start within seconds.
const notifications = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '10 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const AWAITING_APPROVAL = 'AwaitingApproval';
const NEEDS_ATTENTION = 'NeedsAttention';

/**
 * The server refuses a search attribute value over 2 KB (the workflow task would fail on every retry), and a
 * list column shows a line. The full reason stays in the state (`status`) and in the current details.
 */
const ATTENTION_REASON_LENGTH = 200;

/** What a person does in a stage that waits for one, shown under the stage in Temporal Web. */
const TO_DO: Readonly<Record<string, string>> = {
  [NEEDS_ATTENTION]:
    'fix what the reason names (in Field Service, F&O or the mapping project), then send the update ' +
    '`retry` `{"requestedBy": "you@contoso.com"}` (Temporal Web: Send an Update, or the `fsfo` CLI). ' +
    'A change of the document in Field Service retries by itself.',
  [AWAITING_APPROVAL]:
    'check the F&O order, then send the update `approveInvoicing` `{"approvedBy": "you@contoso.com"}` or ' +
    '`rejectInvoicing` `{"rejectedBy": "you@contoso.com", "reason": "what the technician must fix"}` ' +
    '(Temporal Web: Send an Update, or the `fsfo` CLI).',
};

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

/** A bounded name for why a step failed: the failure's type (`ImplausibleSalesOrder`, `D365BusinessRule`, ...). */
function failureType(err: ActivityFailure | ApplicationFailure): string {
  const failure = err instanceof ActivityFailure ? err.cause : err;
  if (failure instanceof ApplicationFailure) return failure.type ?? 'ApplicationFailure';
  return failure?.name ?? err.name;
}

/**
 * The machinery integration workflows share: stages (the `IntegrationStage` search attribute and the
 * current details in Temporal Web), steps whose business failures park the workflow in
 * `NeedsAttention` until a retry, and approval by update or signal. Construct it first thing in the
 * workflow, so no message can arrive before its handler.
 */
export class IntegrationFlow<State extends IntegrationState> {
  readonly state: State;
  readonly #subject: string;
  readonly #cli: { command: string; document: string } | undefined;
  readonly #continueWith: (state: State) => { resumeFrom?: State };
  readonly #approvers: Approvers;
  #retryRequested = false;
  #rejection: RejectInvoicing | undefined;

  /**
   * `subject` names the document in refusals, e.g. "work order WO-00003"; `continueWith` gives the input a
   * run continued as new starts from (the workflow's input with `resumeFrom: state`); `cli` the `fsfo`
   * command and argument of the document, e.g. `work-order` and `WO-00003`, for the commands notifications give;
   * `approvers` who may approve or reject (empty: anyone), from the workflow's input.
   */
  constructor(
    state: State,
    subject: string,
    messages: DecisionMessages<State>,
    continueWith: (state: State) => { resumeFrom?: State },
    cli?: { command: string; document: string },
    approvers: Approvers = [],
  ) {
    this.state = state;
    this.#subject = subject;
    this.#cli = cli;
    this.#continueWith = continueWith;
    this.#approvers = approvers;
    // The first run enters its first stage; a run continued as new is still in its predecessor's.
    if (workflowInfo().continuedFromExecutionRunId === undefined) countStageEntered(state.stage);
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
    // An update answers once the workflow has acted on it: the state after the decision, not the stage it was taken in.
    const answered =
      (handler: (args?: unknown) => State, stage: string) =>
      async (args?: unknown): Promise<State> => {
        handler(args);
        await condition(() => state.stage !== stage);
        return state;
      };
    setHandler(messages.approveInvoicingUpdate, answered(approve, AWAITING_APPROVAL), {
      validator: validator(AWAITING_APPROVAL, 'approve invoicing', approveInvoicingSchema),
    });
    setHandler(messages.rejectInvoicingUpdate, answered(reject, AWAITING_APPROVAL), {
      validator: validator(AWAITING_APPROVAL, 'reject invoicing', rejectInvoicingSchema),
    });
    setHandler(messages.retryUpdate, answered(retry, NEEDS_ATTENTION), {
      validator: validator(NEEDS_ATTENTION, 'retry', retrySchema),
    });

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
    countApprovalDecision('refused', channel);
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

  /**
   * The search attributes are written on a change of stage only, in one upsert: each write is a history
   * event. Entering NeedsAttention sets `AttentionReason` (from `state.attention`), leaving it removes it.
   */
  setStage(stage: string, waitingFor: string): void {
    if (stage !== this.state.stage) {
      upsertSearchAttributes([{ key: IntegrationStage, value: stage }, ...this.#attentionReason(stage)]);
      countStageEntered(stage);
    }
    this.state.stage = stage;
    this.state.waitingFor = waitingFor;
    const toDo = TO_DO[stage];
    setCurrentDetails(`**${stage}**: waiting for ${waitingFor}${toDo ? `\n\n**To do**: ${toDo}` : ''}`);
  }

  /** The reason's upsert when the stage enters or leaves NeedsAttention, with the stage's in one event. */
  #attentionReason(stage: string): SearchAttributeUpdatePair[] {
    if (stage === NEEDS_ATTENTION) {
      const reason = this.state.attention?.reason ?? '';
      return [{ key: AttentionReason, value: reason.slice(0, ATTENTION_REASON_LENGTH) }];
    }
    return this.state.stage === NEEDS_ATTENTION ? [{ key: AttentionReason, value: null }] : [];
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
        countNeedsAttention(stage, failureType(err));
        const since = new Date().toISOString();
        this.state.attention = { reason, stage, since };
        this.#retryRequested = false;
        this.setStage(
          NEEDS_ATTENTION,
          `the data to be fixed and a retry (update or signal "retry"): ${reason}`,
        );
        this.#notify({
          event: 'needs-attention',
          stage,
          reason,
          since,
          actions: this.#commands('retry', {}, 'retry'),
        });
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
  async decide(
    policy: ApprovalPolicy,
    amount: number,
    interrupted: () => boolean,
    reminderAfterMs?: number,
  ): Promise<Decision> {
    if (!approvalRequired(policy, amount)) {
      this.state.approval = {
        approvedBy: `approval policy "${policy}"`,
        approvedAt: new Date().toISOString(),
        channel: 'policy',
      };
      countApprovalDecision('approved', 'policy');
      return 'approved';
    }
    const approvedBefore = this.state.approval !== undefined;
    this.setStage(AWAITING_APPROVAL, 'an operator to approve or reject invoicing (update approveInvoicing)');
    const decided = () => this.state.approval !== undefined || this.#rejection !== undefined;
    this.state.approvalWait ??= { since: new Date().toISOString(), reminded: false };
    if (reminderAfterMs !== undefined)
      await this.#remindOnce(reminderAfterMs, () => decided() || interrupted());
    await this.wait(() => decided() || interrupted());
    if (decided()) this.state.approvalWait = undefined;
    if (this.state.approval) {
      if (!approvedBefore) countApprovalDecision('approved', this.state.approval.channel ?? 'temporal');
      return 'approved';
    }
    if (this.#rejection) {
      const { rejectedBy, reason, channel = 'temporal', user } = this.#rejection;
      this.#rejection = undefined;
      countApprovalDecision('rejected', channel);
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

  /** Waits until `reminderAfterMs` after approval was asked and, if nothing came, reminds once for this wait. */
  async #remindOnce(reminderAfterMs: number, until: () => boolean): Promise<void> {
    const wait = this.state.approvalWait!;
    if (wait.reminded) return;
    const dueInMs = Date.parse(wait.since) + reminderAfterMs - Date.now();
    if (dueInMs > 0 ? await this.wait(until, dueInMs) : until()) return;
    wait.reminded = true;
    this.#notify({
      event: 'approval-reminder',
      stage: AWAITING_APPROVAL,
      reason: `waiting for approval since ${wait.since}`,
      since: wait.since,
      actions: [
        ...this.#commands('approve', { approvedBy: '<you>' }, 'approveInvoicing', '--by "<you>"'),
        ...this.#commands(
          'reject',
          { rejectedBy: '<you>', reason: '<why>' },
          'rejectInvoicing',
          '--by "<you>" --reason "<why>"',
        ),
      ],
    });
  }

  /** Tells operators, once per event: the activity's id is its idempotency key, and replays never re-send it. */
  #notify(notice: Omit<OperatorNotice, 'subject'>): void {
    notifications.notifyOperators({ ...notice, subject: this.#subject }).catch((err: unknown) => {
      log.warn('Notification not delivered', { error: err instanceof Error ? err.message : String(err) });
    });
  }

  /** The `fsfo` command (when the document has one) and the Temporal CLI update that do `action`. */
  #commands(action: string, input: object, update: string, options = ''): string[] {
    const { workflowId, namespace } = workflowInfo();
    const ns = namespace === 'default' ? '' : ` --namespace ${namespace}`;
    const temporal =
      `temporal workflow update execute${ns} --workflow-id ${workflowId} --name ${update} ` +
      `--input '${JSON.stringify(input)}'`;
    if (!this.#cli) return [temporal];
    const { command, document } = this.#cli;
    return [`fsfo ${command} ${action} ${document}${options ? ` ${options}` : ''}`, temporal];
  }

  /** The reason of the latest rejection. */
  get lastRejection(): Rejection | undefined {
    return this.state.rejections.at(-1);
  }
}
