import type { SandboxClient } from './sandbox-client';

/** The F&O entities that hold an invoiced sales order: header, lines, invoice, invoice lines. */
const ORDER_ENTITIES = [
  'CDSSalesOrderHeaders',
  'CDSSalesOrderLines',
  'SalesInvoiceHeadersV2',
  'SalesInvoiceLines',
];
/** Copies per control request. */
const COPIES_PER_REQUEST = 1_000;

export interface Copies {
  numbers: string[];
  invoiceOf: (number: string) => string;
}

/** A drift the benchmark seeds, as reconcile must report it. */
export interface ExpectedDrift {
  class: string;
  key: string;
}

const quoted = (value: string) => `'${value.replaceAll("'", "''")}'`;

async function fieldServiceInvoice(sandbox: SandboxClient, invoiceNumber: string) {
  const { value } = await sandbox.dataverseGet<{ value: { invoiceid: string; totalamount: number }[] }>(
    `invoices?$filter=${encodeURIComponent(`invoicenumber eq ${quoted(invoiceNumber)}`)}&$select=invoiceid,totalamount`,
  );
  if (value.length !== 1) throw new Error(`${value.length} Field Service invoices numbered ${invoiceNumber}`);
  return value[0]!;
}

/**
 * `count` copies of an invoiced, converged work order (`template`, which the product took the whole way):
 * in Field Service the work order with its lines and its invoice with its details, in F&O the sales order,
 * its lines, invoice and invoice lines, each copy with its own work order and invoice number, written
 * `modifiedOn` (so none is in flight), through the sandboxes' bulk copy requests.
 */
export async function copyInvoicedWorkOrder(
  sandbox: SandboxClient,
  company: string,
  template: string,
  count: number,
  modifiedOn: Date,
): Promise<Copies> {
  const workOrder = await sandbox.dataverseGet<{
    msdyn_workorderid: string;
    msdynce_invoicenumber: string | null;
  }>(
    `msdyn_workorders(msdyn_name=${encodeURIComponent(quoted(template))})?$select=msdyn_workorderid,msdynce_invoicenumber`,
  );
  const invoiceNumber = workOrder.msdynce_invoicenumber;
  if (!invoiceNumber) throw new Error(`${template} names no invoice: it is not invoiced`);
  const invoice = await fieldServiceInvoice(sandbox, invoiceNumber);

  const prefix = template.replace(/-T$/, '');
  const numbers = Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(6, '0')}`);
  const invoiceOf = (number: string) => number.replace(prefix, `${prefix}-INV`);
  for (let start = 0; start < count; start += COPIES_PER_REQUEST) {
    const replacements = numbers
      .slice(start, start + COPIES_PER_REQUEST)
      .map((number) => ({ [template]: number, [invoiceNumber]: invoiceOf(number) }));
    await sandbox.copyDataverseRows(
      'msdyn_workorders',
      workOrder.msdyn_workorderid,
      replacements,
      modifiedOn,
    );
    await sandbox.copyDataverseRows('invoices', invoice.invoiceid, replacements, modifiedOn);
    await sandbox.copyFinanceDocument(company, ORDER_ENTITIES, { SalesOrderNumber: template }, replacements);
  }
  return { numbers, invoiceOf };
}

/**
 * A few drifts among the copies, made as users would make them and none touching a work order (so none
 * is in flight): a Field Service invoice's total changed, one deleted, one recorded twice, and an F&O
 * order of the integration's origin whose work order Field Service does not have.
 */
export async function seedDrifts(
  sandbox: SandboxClient,
  { numbers, invoiceOf }: Copies,
  orphanNumber: string,
): Promise<ExpectedDrift[]> {
  const at = (fraction: number) => numbers[Math.floor(numbers.length * fraction)]!;
  const [changed, deleted, twice] = [at(0.2), at(0.4), at(0.6)].map(invoiceOf) as [string, string, string];

  const total = await fieldServiceInvoice(sandbox, changed);
  await sandbox.dataverseWrite('PATCH', `invoices(${total.invoiceid})`, {
    totalamount: total.totalamount + 10,
  });
  await sandbox.dataverseWrite(
    'DELETE',
    `invoices(${(await fieldServiceInvoice(sandbox, deleted)).invoiceid})`,
  );
  const recorded = await fieldServiceInvoice(sandbox, twice);
  await sandbox.dataverseWrite('POST', 'invoices', {
    name: `Invoice ${twice}`,
    invoicenumber: twice,
    totalamount: recorded.totalamount,
  });
  await sandbox.financeCreate('CDSSalesOrderHeaders', {
    SalesOrderNumber: orphanNumber,
    OrderingCustomerAccountNumber: 'US-001',
    CurrencyCode: 'USD',
    SalesOrderOriginType: 'WorkOrderIntegration',
  });
  return [
    { class: 'totals differ', key: changed },
    { class: 'not recorded', key: deleted },
    { class: 'duplicated', key: twice },
    { class: 'orphan', key: orphanNumber },
  ];
}
