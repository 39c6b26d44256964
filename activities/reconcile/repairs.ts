import type { Fix, Repair } from './drift';

/** An argument as a shell reads it back: quoted unless it is plain. */
const arg = (value: string) => (/^[\w.@:/-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`);

const INVOICE_ACTIONS = [
  'startAgreementInvoice',
  'signalFreeTextInvoicePosted',
  'recordSalesInvoice',
] as const;
type InvoiceRepair = Extract<Repair, { action: (typeof INVOICE_ACTIONS)[number] }>;
const isInvoiceRepair = (repair: Repair): repair is InvoiceRepair =>
  (INVOICE_ACTIONS as readonly string[]).includes(repair.action);

/** The commands of the invoice joins' repairs, each on one Field Service or F&O invoice number. */
function invoiceCommandOf(repair: InvoiceRepair): string {
  const number = arg(repair.invoiceNumber);
  switch (repair.action) {
    case 'startAgreementInvoice':
      return `fsfo agreement-invoice start ${number}`;
    case 'signalFreeTextInvoicePosted':
      return `fsfo agreement-invoice posted ${number}`;
    case 'recordSalesInvoice':
      return `fsfo sales-invoice record ${number}`;
  }
}

/** The CLI command that does exactly what `repair` does. */
export function commandOf(repair: Repair): string {
  if (isInvoiceRepair(repair)) return invoiceCommandOf(repair);
  switch (repair.action) {
    case 'startPurchaseOrder':
      return `fsfo purchase-order start ${arg(repair.purchaseOrderNumber)}`;
    case 'notifyPurchaseOrder':
      return `fsfo purchase-order notify ${arg(repair.purchaseOrderNumber)}`;
  }
  const number = arg(repair.workOrderNumber);
  switch (repair.action) {
    case 'startWorkOrder':
      return `fsfo work-order start ${number}`;
    case 'resyncWorkOrder':
      return `fsfo work-order resync ${number}`;
    case 'notifyWorkOrder':
      return `fsfo work-order notify ${number}`;
    case 'signalInvoicePosted':
      return (
        `fsfo work-order invoice-posted ${number} --invoice ${arg(repair.invoiceNumber)} ` +
        `--legal-entity ${arg(repair.legalEntity)}`
      );
    case 'recordWorkOrderInvoice':
      return (
        `fsfo work-order record-invoice ${number} --sales-order ${arg(repair.salesOrderNumber)} ` +
        `--legal-entity ${arg(repair.legalEntity)}`
      );
  }
}

/** A fix `--fix` runs by itself. */
export const repairFix = (repair: Repair): Fix => ({ repair, command: commandOf(repair) });

/** A fix only a person can make; `command` is what they run once they have. */
export const personFix = (person: string, command?: string): Fix => ({ person, command });
