import type { Fix, Repair } from './drift';

/** An argument as a shell reads it back: quoted unless it is plain. */
const arg = (value: string) => (/^[\w.@:/-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`);

type Action = Repair['action'];
type RepairOf<A extends Action> = Extract<Repair, { action: A }>;

/** An option and its value, then the legal entity, e.g. `--invoice INV-1 --legal-entity usmf`. */
const inLegalEntity = (option: string, value: string, repair: { legalEntity: string }) =>
  `${option} ${arg(value)} --legal-entity ${arg(repair.legalEntity)}`;

/** Each repair's CLI command. */
const COMMANDS: { [A in Action]: (repair: RepairOf<A>) => string } = {
  startWorkOrder: (repair) => `fsfo work-order start ${arg(repair.workOrderNumber)}`,
  resyncWorkOrder: (repair) => `fsfo work-order resync ${arg(repair.workOrderNumber)}`,
  notifyWorkOrder: (repair) => `fsfo work-order notify ${arg(repair.workOrderNumber)}`,
  signalInvoicePosted: (repair) =>
    `fsfo work-order invoice-posted ${arg(repair.workOrderNumber)} ` +
    inLegalEntity('--invoice', repair.invoiceNumber, repair),
  recordWorkOrderInvoice: (repair) =>
    `fsfo work-order record-invoice ${arg(repair.workOrderNumber)} ` +
    inLegalEntity('--sales-order', repair.salesOrderNumber, repair),
  startPurchaseOrder: (repair) => `fsfo purchase-order start ${arg(repair.purchaseOrderNumber)}`,
  notifyPurchaseOrder: (repair) => `fsfo purchase-order notify ${arg(repair.purchaseOrderNumber)}`,
  startAgreementInvoice: (repair) => `fsfo agreement-invoice start ${arg(repair.invoiceNumber)}`,
  signalFreeTextInvoicePosted: (repair) => `fsfo agreement-invoice posted ${arg(repair.invoiceNumber)}`,
  recordSalesInvoice: (repair) => `fsfo sales-invoice record ${arg(repair.invoiceNumber)}`,
};

/** The CLI command that does exactly what `repair` does. */
export const commandOf = (repair: Repair): string =>
  (COMMANDS[repair.action] as (repair: Repair) => string)(repair);

/** A fix `--fix` runs by itself. */
export const repairFix = (repair: Repair): Fix => ({ repair, command: commandOf(repair) });

/** A fix only a person can make; `command` is what they run once they have. */
export const personFix = (person: string, command?: string): Fix => ({ person, command });
