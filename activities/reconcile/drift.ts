import { z } from 'zod';

/**
 * The ways two sides can disagree. `missing`: a document the integration wrote, or that a document names,
 * is not there. `header differs` / `lines differ`: an F&O document no longer says what the mapping project
 * makes of its Field Service source. `totals differ`: a recorded document's amount differs from its
 * source's. `not recorded`: F&O posted something Field Service does not show yet. `duplicated`: two
 * documents where the integration keeps one. `foreign order`: an F&O order with a work order's number that
 * this integration did not create. `orphan`: a document with no counterpart, or that no workflow looks
 * after. `needs attention`: a workflow parked until a person fixes its data.
 */
export const DRIFT_CLASSES = [
  'missing',
  'header differs',
  'lines differ',
  'totals differ',
  'not recorded',
  'duplicated',
  'foreign order',
  'orphan',
  'needs attention',
] as const;
export const driftClassSchema = z.enum(DRIFT_CLASSES);
export type DriftClass = z.infer<typeof driftClassSchema>;

const number = z.string().min(1);

/**
 * What `fsfo reconcile --fix` runs for a drift: a start or a signal of the workflow that repairs it,
 * never a write to Dynamics 365. Each has exactly one CLI command (`commandOf`).
 */
export const repairSchema = z.discriminatedUnion('action', [
  /** Signal-with-start of the work order's workflow (started when it has none). */
  z.object({ action: z.literal('startWorkOrder'), workOrderNumber: number }),
  /** The `resyncSalesOrder` update: a workflow awaiting approval writes the order again. */
  z.object({ action: z.literal('resyncWorkOrder'), workOrderNumber: number }),
  /** `workOrderChanged` to the running workflow only, as the watcher tells it of a cancellation. */
  z.object({ action: z.literal('notifyWorkOrder'), workOrderNumber: number }),
  /** `invoicePosted`, as the invoice watcher sends it. */
  z.object({
    action: z.literal('signalInvoicePosted'),
    workOrderNumber: number,
    invoiceNumber: number,
    legalEntity: number,
  }),
  /** The invoice recording workflow, for a posted invoice no running workflow records. */
  z.object({
    action: z.literal('recordWorkOrderInvoice'),
    workOrderNumber: number,
    salesOrderNumber: number,
    legalEntity: number,
  }),
  /** Signal-with-start of the purchase order's workflow (started when it has none). */
  z.object({ action: z.literal('startPurchaseOrder'), purchaseOrderNumber: number }),
  /** `purchaseOrderChanged` and `financePurchaseOrderChanged` to the running workflow, as both watchers send them. */
  z.object({ action: z.literal('notifyPurchaseOrder'), purchaseOrderNumber: number }),
  /** Signal-with-start of the agreement invoice's workflow (started when it has none). */
  z.object({ action: z.literal('startAgreementInvoice'), invoiceNumber: number }),
  /** `freeTextInvoicePosted`, as the free text invoice watcher sends it. */
  z.object({ action: z.literal('signalFreeTextInvoicePosted'), invoiceNumber: number }),
  /** The F&O sales invoice in the `sync-sales-invoices` schedule's retry list, and a run of it. */
  z.object({ action: z.literal('recordSalesInvoice'), invoiceNumber: number }),
]);
export type Repair = z.infer<typeof repairSchema>;

/**
 * How to fix a drift. `repair` is what `--fix` runs by itself, `command` the same as an operator types it;
 * `person` says what a person must do (then `command`, if any, is what they run once they have).
 */
export const fixSchema = z
  .object({
    command: z.string().min(1).optional(),
    repair: repairSchema.optional(),
    person: z.string().min(1).optional(),
  })
  .refine((fix) => fix.repair === undefined || fix.command !== undefined, 'a repair has its command')
  .refine((fix) => fix.command !== undefined || fix.person !== undefined, 'a fix says what to run or do');
export type Fix = z.infer<typeof fixSchema>;

/** One side's values as reconcile compared them; `null` when that side has no such document. */
const sideSchema = z.record(z.string(), z.unknown()).nullable();

export const driftWorkflowSchema = z.object({
  workflowId: z.string(),
  /** Temporal's execution status, e.g. `Running`, `Completed`. */
  status: z.string(),
  stage: z.string().optional(),
});
export type DriftWorkflow = z.infer<typeof driftWorkflowSchema>;

export const driftSchema = z.object({
  class: driftClassSchema,
  /** The join that found it, e.g. `work orders`. */
  join: z.string(),
  /** What kind of document disagrees, e.g. `work order`, `F&O sales order`, `workflow`. */
  document: z.string(),
  /** Its number. */
  key: z.string(),
  fieldService: sideSchema,
  finance: sideSchema,
  workflow: driftWorkflowSchema.nullable(),
  /** The drift in a sentence a person understands. */
  message: z.string().min(1),
  fix: fixSchema,
});
export type Drift = z.infer<typeof driftSchema>;

export const driftCountsSchema = z.record(driftClassSchema, z.number().int().nonnegative());
export type DriftCounts = z.infer<typeof driftCountsSchema>;

export const noDriftCounts = (): DriftCounts =>
  Object.fromEntries(DRIFT_CLASSES.map((driftClass) => [driftClass, 0])) as DriftCounts;

export const reportSchema = z.object({
  legalEntity: z.string(),
  /** Work orders (and other Field Service documents) changed since then; `null` for all. */
  since: z.iso.datetime({ offset: true }).nullable(),
  startedAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }),
  /** Documents compared, over every join. */
  checked: z.number().int().nonnegative(),
  /** Documents whose workflow is working on them right now, or changed too recently to judge. */
  inFlight: z.number().int().nonnegative(),
  counts: driftCountsSchema,
  drifts: z.array(driftSchema),
  /** Drifts counted but not listed (the workflow keeps its result small). */
  driftsLeftOut: z.number().int().nonnegative(),
});
export type ReconcileReport = z.infer<typeof reportSchema>;

export const totalDrifts = (counts: DriftCounts): number =>
  Object.values(counts).reduce((sum, count) => sum + count, 0);
