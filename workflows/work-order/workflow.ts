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
import type {
  PostedInvoice,
  WorkOrderActivities,
  WorkOrderSnapshot,
} from '../../activities/work-order/contract';
import {
  CustomerAccount,
  IntegrationStage,
  LegalEntity,
  SalesOrderNumber,
  WorkOrderNumber,
} from '../search-attributes';
import { approvalRequired } from './approval-policy';
import {
  approveInvoicingSchema,
  approveInvoicingSignal,
  approveInvoicingUpdate,
  type InvoicePosted,
  invoicePostedSchema,
  invoicePostedSignal,
  rejectInvoicingSchema,
  rejectInvoicingSignal,
  rejectInvoicingUpdate,
  type RejectInvoicing,
  retrySchema,
  retrySignal,
  retryUpdate,
  statusQuery,
  workOrderChangedSignal,
} from './messages';
import { Stage } from './stages';
import type { WorkOrderInput, WorkOrderState } from './state';

// Transient failures (throttling, 5xx, timeouts) retry without limit, backing off to 1 minute and
// honouring Retry-After; business failures are non-retryable and park the workflow in NeedsAttention.
const activities = proxyActivities<WorkOrderActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** How often a waiting workflow checks F&O itself, in case the watcher's signal never came. */
const INVOICE_RECHECK_INTERVAL = '1 day';

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(z.prettifyError(parsed.error), 'InvalidInput');
  return parsed.data;
}

/**
 * One work order from Field Service to an invoiced F&O sales order and back: master data, sales
 * order, approval, a durable wait for the invoice, and the invoice recorded in Field Service.
 * Workflow ID `work-order-<work order number>`.
 */
export async function workOrderInvoicing(input: WorkOrderInput): Promise<WorkOrderState> {
  const state: WorkOrderState = input.resumeFrom ?? {
    workOrderNumber: input.workOrderNumber,
    legalEntity: input.legalEntity,
    stage: Stage.SyncingMasterData,
    waitingFor: 'Field Service and F&O master data',
    rejections: [],
  };
  let rejection: RejectInvoicing | undefined;
  let retryRequested = false;
  let workOrderChanged = false;
  let invoiceHint: InvoicePosted | undefined;

  function setStage(stage: Stage, waitingFor: string): void {
    state.stage = stage;
    state.waitingFor = waitingFor;
    upsertSearchAttributes([{ key: IntegrationStage, value: stage }]);
    setCurrentDetails(`**${stage}**: waiting for ${waitingFor}`);
  }

  function requireStage(expected: Stage, action: string): void {
    if (state.stage !== expected) {
      throw ApplicationFailure.nonRetryable(
        `Cannot ${action}: work order ${state.workOrderNumber} is ${state.stage}, not ${expected}`,
        'WrongStage',
      );
    }
  }

  const approve = (args: unknown) => {
    const { approvedBy, comment } = parseOrThrow(approveInvoicingSchema, args);
    state.approval = { approvedBy, approvedAt: new Date().toISOString(), comment };
    return state;
  };
  const reject = (args: unknown) => {
    rejection = parseOrThrow(rejectInvoicingSchema, args);
    return state;
  };
  const retry = (args?: unknown) => {
    parseOrThrow(retrySchema, args);
    retryRequested = true;
    return state;
  };
  // Validators run before anything is written to history: a refused update changes nothing.
  const validator = (stage: Stage, action: string, schema: z.ZodType) => (args?: unknown) => {
    requireStage(stage, action);
    parseOrThrow(schema, args);
  };
  setHandler(approveInvoicingUpdate, approve, {
    validator: validator(Stage.AwaitingApproval, 'approve invoicing', approveInvoicingSchema),
  });
  setHandler(rejectInvoicingUpdate, reject, {
    validator: validator(Stage.AwaitingApproval, 'reject invoicing', rejectInvoicingSchema),
  });
  setHandler(retryUpdate, retry, { validator: validator(Stage.NeedsAttention, 'retry', retrySchema) });

  // Signals cannot be refused: one that is invalid or comes in the wrong stage is logged and dropped.
  const asSignal =
    (handler: (args: unknown) => unknown, stage: Stage, name: string) =>
    (args?: unknown): void => {
      try {
        requireStage(stage, name);
        handler(args);
      } catch (err) {
        log.warn(`Ignored signal ${name}`, { error: err instanceof Error ? err.message : String(err) });
      }
    };
  setHandler(approveInvoicingSignal, asSignal(approve, Stage.AwaitingApproval, 'approveInvoicing'));
  setHandler(rejectInvoicingSignal, asSignal(reject, Stage.AwaitingApproval, 'rejectInvoicing'));
  setHandler(retrySignal, asSignal(retry, Stage.NeedsAttention, 'retry'));
  setHandler(workOrderChangedSignal, () => {
    workOrderChanged = true;
  });
  setHandler(invoicePostedSignal, (args) => {
    const parsed = invoicePostedSchema.safeParse(args);
    if (parsed.success) invoiceHint = parsed.data;
    else log.warn('Ignored invalid invoicePosted signal', { error: z.prettifyError(parsed.error) });
  });
  setHandler(statusQuery, () => state);

  /** Runs a step; a business failure parks the workflow in NeedsAttention until a retry. */
  async function step<T>(stage: Stage, waitingFor: string, run: () => Promise<T>): Promise<T> {
    setStage(stage, waitingFor);
    for (;;) {
      try {
        return await run();
      } catch (err) {
        if (!(err instanceof ActivityFailure || err instanceof ApplicationFailure)) throw err;
        const reason = err.cause instanceof ApplicationFailure ? err.cause.message : err.message;
        state.attention = { reason, stage, since: new Date().toISOString() };
        retryRequested = false;
        setStage(
          Stage.NeedsAttention,
          `the data to be fixed and a retry (update or signal "retry"): ${reason}`,
        );
        await condition(() => retryRequested);
        state.attention = undefined;
        setStage(stage, waitingFor);
      }
    }
  }

  async function syncSalesOrder(): Promise<WorkOrderSnapshot> {
    const snapshot = await step(Stage.SyncingMasterData, 'Field Service and F&O master data', async () => {
      const loaded = await activities.loadWorkOrder(state.workOrderNumber);
      if (loaded.ineligibleReason)
        throw ApplicationFailure.nonRetryable(loaded.ineligibleReason, 'NotEligible');
      await activities.ensureCustomers(loaded);
      await activities.ensureReleasedProducts(loaded);
      return loaded;
    });
    state.salesOrder = await step(Stage.CreatingSalesOrder, 'the F&O sales order to be written', () =>
      activities.upsertSalesOrder(snapshot),
    );
    state.syncedVersion = snapshot.version;
    upsertSearchAttributes([
      { key: SalesOrderNumber, value: state.salesOrder.salesOrderNumber },
      { key: CustomerAccount, value: state.salesOrder.customerAccount },
    ]);
    return snapshot;
  }

  upsertSearchAttributes([
    { key: WorkOrderNumber, value: state.workOrderNumber },
    { key: LegalEntity, value: state.legalEntity },
    { key: IntegrationStage, value: state.stage },
  ]);

  if (!state.approval) {
    for (;;) {
      const snapshot = await syncSalesOrder();
      if (!approvalRequired(input.approvalPolicy, state.salesOrder!.totalAmount)) {
        state.approval = {
          approvedBy: `approval policy "${input.approvalPolicy}"`,
          approvedAt: new Date().toISOString(),
        };
      } else {
        workOrderChanged = false;
        setStage(
          Stage.AwaitingApproval,
          'an operator to approve or reject invoicing (update approveInvoicing)',
        );
        await condition(() => state.approval !== undefined || rejection !== undefined || workOrderChanged);
      }
      if (state.approval) {
        await step(Stage.CreatingSalesOrder, 'the work order to be closed in Field Service', () =>
          activities.closeWorkOrder(snapshot),
        );
        await syncSalesOrder(); // Closed-Posted: the order now carries the used values only.
        break;
      }
      if (rejection) {
        const { rejectedBy, reason } = rejection;
        rejection = undefined;
        state.rejections.push({ rejectedBy, reason, rejectedAt: new Date().toISOString() });
        await step(Stage.Rejected, 'the work order to go back to the technician', () =>
          activities.returnWorkOrderToTechnician({ snapshot, reason }),
        );
        workOrderChanged = false;
        setStage(Stage.Rejected, `the technician to change the work order (rejected: ${reason})`);
        await condition(() => workOrderChanged);
      }
    }
  }

  setStage(
    Stage.AwaitingInvoice,
    `F&O to post the invoice of sales order ${state.salesOrder!.salesOrderNumber}`,
  );
  const { salesOrderNumber, legalEntity } = state.salesOrder!;
  let invoice: PostedInvoice | null = null;
  while (invoice === null) {
    await condition(() => invoiceHint !== undefined, INVOICE_RECHECK_INTERVAL);
    invoiceHint = undefined;
    invoice = await step(Stage.AwaitingInvoice, `F&O to post the invoice of ${salesOrderNumber}`, () =>
      activities.findSalesInvoice({ salesOrderNumber, legalEntity }),
    );
    if (invoice === null && workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof workOrderInvoicing>({ ...input, resumeFrom: state });
    }
  }
  const { header: _header, lines: _lines, ...summary } = invoice;
  state.invoice = summary;
  const posted = invoice;
  await step(
    Stage.RecordingInvoice,
    `invoice ${posted.invoiceNumber} to be recorded in Field Service`,
    async () => {
      const snapshot = await activities.loadWorkOrder(state.workOrderNumber);
      state.invoice = {
        ...summary,
        fieldServiceInvoiceId: await activities.recordInvoice({ snapshot, invoice: posted }),
      };
      await activities.markWorkOrderInvoiced({ snapshot, invoice: posted });
    },
  );
  setStage(Stage.Invoiced, 'nothing: the work order is invoiced');
  await condition(allHandlersFinished);
  return state;
}
