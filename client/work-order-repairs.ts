import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { z } from 'zod';
import type { Config } from '../config/config';
import { workOrderInvoiceRecording, workOrderInvoicing } from '../workflows';
import { LegalEntity, WorkOrderNumber } from '../workflows/search-attributes';
import { invoicePostedSignal, resyncSalesOrderUpdate } from '../workflows/work-order/messages';
import type { InvoiceRecordingInput } from '../workflows/work-order/record-invoice';
import { workOrderNumberSchema, workOrderWorkflowId } from './starters/work-order';

export const invoiceRecordingWorkflowId = (workOrderNumber: string) =>
  `work-order-invoice-${workOrderNumber}`;

const documentNumber = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .max(100, `${what} has at most 100 characters`)
    .regex(/^[^\p{Cc}]+$/u, `${what} has no control characters`);
const legalEntitySchema = z
  .string()
  .regex(/^[A-Za-z0-9]{1,4}$/, 'a legal entity is a dataAreaId of 1-4 letters or digits')
  .transform((value) => value.toLowerCase());

/** The work order's running workflow writes its F&O sales order again (it must await approval). */
export async function resyncWorkOrder(client: Client, workOrderNumber: string): Promise<void> {
  const number = workOrderNumberSchema.parse(workOrderNumber);
  await client.workflow
    .getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(number))
    .executeUpdate(resyncSalesOrderUpdate);
}

/** Tells the waiting workflow that F&O posted the invoice, exactly as the invoice watcher does. */
export async function signalWorkOrderInvoicePosted(
  client: Client,
  input: { workOrderNumber: string; invoiceNumber: string; legalEntity: string },
): Promise<void> {
  const number = workOrderNumberSchema.parse(input.workOrderNumber);
  await client.workflow.getHandle(workOrderWorkflowId(number)).signal(invoicePostedSignal, {
    invoiceNumber: documentNumber('an invoice number').parse(input.invoiceNumber),
    legalEntity: legalEntitySchema.parse(input.legalEntity),
  });
}

export type RecordingOutcome = 'started' | 'workflow-running';

/**
 * Starts the workflow that records a work order's posted F&O invoice in Field Service, unless the work
 * order's own workflow runs (it records the invoice itself; two writers could create it twice). A
 * recording already running is joined, a finished one may be started again.
 */
export async function startInvoiceRecording(
  client: Client,
  config: Config,
  input: InvoiceRecordingInput,
): Promise<RecordingOutcome> {
  const args: InvoiceRecordingInput = {
    workOrderNumber: workOrderNumberSchema.parse(input.workOrderNumber),
    salesOrderNumber: documentNumber('a sales order number').parse(input.salesOrderNumber),
    legalEntity: legalEntitySchema.parse(input.legalEntity),
  };
  try {
    const own = await client.workflow.getHandle(workOrderWorkflowId(args.workOrderNumber)).describe();
    if (own.status.name === 'RUNNING') return 'workflow-running';
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  await client.workflow.start(workOrderInvoiceRecording, {
    workflowId: invoiceRecordingWorkflowId(args.workOrderNumber),
    taskQueue: config.temporal.taskQueue,
    args: [args],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: WorkOrderNumber, value: args.workOrderNumber },
      { key: LegalEntity, value: args.legalEntity },
    ],
    staticSummary: `Records the F&O invoice of sales order ${args.salesOrderNumber} on work order ${args.workOrderNumber}`,
  });
  return 'started';
}
