import type { Client } from '@temporalio/client';
import { workOrderWorkflowId } from '../../client/starters/work-order';
import type { WorkOrderState } from '../../workflows/work-order/state';
import { inParallel } from '../bench/drive';
import type { SandboxClient } from '../bench/sandbox-client';
import { DRIVER_APPROVER } from './driver';
import { productQuantities, type WorkOrderPlan } from './work-order-plan';

export interface Check {
  name: string;
  failures: string[];
}

const check = (name: string): Check => ({ name, failures: [] });

const quoted = (value: string) => encodeURIComponent(`'${value.replaceAll("'", "''")}'`);

/**
 * The sandboxes' and the workflows' state after the run, per work order: every workflow invoiced, one
 * order with the lines the work order ends with (after its edits), one F&O invoice recorded once in Field
 * Service with as many lines, the invoice number on the work order, who approved; and over the run, as
 * many Field Service invoices as F&O posted.
 */
export async function documentChecks(
  client: Client,
  sandbox: SandboxClient,
  plans: readonly WorkOrderPlan[],
): Promise<{ checks: Check[]; approvedByDriver: number }> {
  const stuck = check('every workflow completed as Invoiced (none stuck)');
  const orders = check('exactly one F&O sales order per work order');
  const lines = check('the sales order has the work order’s lines as last changed (product × quantity)');
  const approvals = check(
    'approved by the driver after the change reached F&O (above the bound), else by policy',
  );
  const invoicedOnce = check('every work order invoiced exactly once in F&O');
  const fsInvoice = check('exactly one Field Service invoice per F&O invoice');
  const marked = check('the work order carries its invoice number in Field Service');
  const invoiceLines = check('the Field Service invoice has one line per work order line');
  const totals = check('no Field Service invoice without its F&O invoice (totals agree)');
  let approvedByDriver = 0;

  await inParallel(plans, 4, async (plan) => {
    const wo = plan.number;
    const handle = client.workflow.getHandle(workOrderWorkflowId(wo));
    const description = await handle.describe();
    if (description.status.name !== 'COMPLETED') stuck.failures.push(`${wo}: ${description.status.name}`);
    else {
      const result = (await handle.result()) as WorkOrderState;
      if (result.stage !== 'Invoiced') stuck.failures.push(`${wo}: ${result.stage}`);
      const approvedBy = result.approval?.approvedBy ?? 'nobody';
      const byDriver = approvedBy === DRIVER_APPROVER;
      if (byDriver) approvedByDriver++;
      if (byDriver !== plan.approval || (!byDriver && !approvedBy.startsWith('approval policy')))
        approvals.failures.push(`${wo}: approved by ${approvedBy}`);
    }
    const headers = await sandbox.financeGet<{ value: unknown[] }>(
      `CDSSalesOrderHeaders?$filter=SalesOrderNumber eq ${quoted(wo)}`,
    );
    if (headers.value.length !== 1) orders.failures.push(`${wo}: ${headers.value.length} sales orders`);
    const orderLines = await sandbox.financeGet<{
      value: { ProductNumber: string; OrderedSalesQuantity: number }[];
    }>(`CDSSalesOrderLines?$filter=SalesOrderNumber eq ${quoted(wo)}`);
    const actual = productQuantities(
      orderLines.value.map((line) => ({ product: line.ProductNumber, quantity: line.OrderedSalesQuantity })),
    );
    const expected = productQuantities(plan.final);
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      lines.failures.push(`${wo}: ${actual.join(', ')} (expected ${expected.join(', ')})`);
    const invoices = await sandbox.financeGet<{ value: { InvoiceNumber: string }[] }>(
      `SalesInvoiceHeadersV2?$filter=SalesOrderNumber eq ${quoted(wo)}`,
    );
    if (invoices.value.length !== 1) {
      invoicedOnce.failures.push(`${wo}: ${invoices.value.length} F&O invoices`);
      return;
    }
    const invoiceNumber = invoices.value[0]!.InvoiceNumber;
    const recorded = await sandbox.dataverseGet<{ value: { invoiceid: string }[] }>(
      `invoices?$filter=invoicenumber eq ${quoted(invoiceNumber)}&$select=invoicenumber`,
    );
    if (recorded.value.length !== 1)
      fsInvoice.failures.push(`${wo}: ${recorded.value.length} Field Service invoices for ${invoiceNumber}`);
    for (const { invoiceid } of recorded.value) {
      const details = await sandbox.dataverseGet<{ value: unknown[] }>(
        `invoicedetails?$filter=_invoiceid_value eq ${invoiceid}&$select=invoicedetailid`,
      );
      if (details.value.length !== plan.final.length)
        invoiceLines.failures.push(
          `${wo}: ${details.value.length} lines on Field Service invoice ${invoiceNumber} (expected ${plan.final.length})`,
        );
    }
    const workOrder = await sandbox.dataverseGet<{ msdynce_invoicenumber?: string }>(
      `msdyn_workorders(msdyn_name=${quoted(wo)})?$select=msdynce_invoicenumber`,
    );
    if (workOrder.msdynce_invoicenumber !== invoiceNumber)
      marked.failures.push(
        `${wo}: ${workOrder.msdynce_invoicenumber ?? 'no invoice number'} (expected ${invoiceNumber})`,
      );
  });
  // Across the run: Field Service invoices numbered like F&O's (CIV-…) against F&O's posted invoices.
  const fsInvoices = await sandbox.dataverseGet<{ value: unknown[] }>(
    `invoices?$filter=startswith(invoicenumber,'CIV-')&$select=invoicenumber`,
  );
  const foInvoices = await sandbox.financeGet<{ value: unknown[] }>(
    `SalesInvoiceHeadersV2?$select=InvoiceNumber`,
  );
  if (fsInvoices.value.length !== foInvoices.value.length)
    totals.failures.push(
      `${fsInvoices.value.length} Field Service invoices, ${foInvoices.value.length} F&O invoices`,
    );
  return {
    checks: [stuck, orders, lines, approvals, invoicedOnce, fsInvoice, marked, invoiceLines, totals],
    approvedByDriver,
  };
}
