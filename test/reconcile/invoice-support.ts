import type { Client, WorkflowHandle } from '@temporalio/client';
import { agreementInvoiceWorkflowId, startAgreementInvoice } from '../../client/starters/agreement-invoice';
import type { agreementInvoicing } from '../../workflows';
import {
  approveInvoicingUpdate,
  freeTextInvoicePostedSignal,
  statusQuery,
} from '../../workflows/agreement-invoice/messages';
import { IntegrationStage, InvoiceNumber } from '../../workflows/search-attributes';
import { createAgreementInvoice } from '../agreement-invoice/field-service-invoices';
import type { Stack } from '../support/stack';
import { until, visible } from './support';

export type AgreementInvoiceHandle = WorkflowHandle<typeof agreementInvoicing>;

/** An agreement invoice of AGR-00001 for US-003 with two agreement lines: 1 × 12.00 and 2 × 80.00. */
export async function agreementInvoice(
  stack: Stack,
): Promise<{ number: string; invoiceId: string; detailIds: string[] }> {
  const created = await createAgreementInvoice(stack, {
    customer: 'US-003',
    invoiceDate: '2026-02-28',
    lines: [
      { product: 'P-2000', description: 'Filter kit', quantity: 1, price: 12 },
      { product: 'S-3000', description: 'Maintenance visit', quantity: 2, price: 80 },
    ],
  });
  return { number: created.invoiceNumber, invoiceId: created.invoiceId, detailIds: created.detailIds };
}

/** Waits until Temporal visibility (what reconcile reads) shows the invoice's workflow as `condition` says. */
export const invoiceVisible = (client: Client, invoiceNumber: string, condition: string) =>
  visible(client, InvoiceNumber, invoiceNumber, condition);

/** Waits until the workflow is in `stage`, by its own account and in visibility. */
export async function invoiceInStage(client: Client, invoiceNumber: string, stage: string): Promise<void> {
  const handle = client.workflow.getHandle<typeof agreementInvoicing>(
    agreementInvoiceWorkflowId(invoiceNumber),
  );
  await until(`${invoiceNumber} in ${stage}`, async () => (await handle.query(statusQuery)).stage === stage);
  await invoiceVisible(client, invoiceNumber, `${IntegrationStage.name} = '${stage}'`);
}

/** Starts the invoice's workflow and waits until it awaits approval, for reconcile too. */
export async function invoiceAwaitingApproval(
  client: Client,
  stack: Stack,
  invoiceNumber: string,
): Promise<AgreementInvoiceHandle> {
  await startAgreementInvoice(client, stack.config, invoiceNumber);
  await invoiceInStage(client, invoiceNumber, 'AwaitingApproval');
  return client.workflow.getHandle(agreementInvoiceWorkflowId(invoiceNumber));
}

/** Approves the invoice and waits until its workflow awaits F&O's posting. */
export async function invoiceAwaitingPosting(
  client: Client,
  stack: Stack,
  invoiceNumber: string,
): Promise<AgreementInvoiceHandle> {
  const handle = await invoiceAwaitingApproval(client, stack, invoiceNumber);
  await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'reconcile-test' }] });
  await invoiceInStage(client, invoiceNumber, 'AwaitingPosting');
  return handle;
}

/** An F&O user posts the free text invoice; returns the number F&O gave it. */
export async function postFreeTextInvoice(stack: Stack, externalInvoiceId: string): Promise<string> {
  const posted = await stack.control('finance', `free-text-invoices/usmf/${externalInvoiceId}/post`);
  if (posted.status !== 200) throw new Error(`post: ${posted.status} ${await posted.text()}`);
  return ((await posted.json()) as { InvoiceNumber: string }).InvoiceNumber;
}

/** The whole way: approved, posted in F&O, recorded in Field Service; the workflow has completed. */
export async function invoicePosted(client: Client, stack: Stack, invoiceNumber: string): Promise<string> {
  const handle = await invoiceAwaitingPosting(client, stack, invoiceNumber);
  const postedAs = await postFreeTextInvoice(stack, invoiceNumber);
  await handle.signal(freeTextInvoicePostedSignal);
  await handle.result();
  await invoiceVisible(client, invoiceNumber, `ExecutionStatus = 'Completed'`);
  return postedAs;
}

export const freeTextHeaderPath = (id: string) =>
  `CDSFreeTextInvoiceHeaders(dataAreaId='usmf',ExternalInvoiceId='${id}')?cross-company=true`;
export const freeTextLinePath = (id: string, line: number) =>
  `CDSFreeTextInvoiceLines(dataAreaId='usmf',ExternalInvoiceId='${id}',LineNumber=${line})?cross-company=true`;
