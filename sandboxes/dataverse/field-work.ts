import { randomUUID } from 'node:crypto';
import type { DataverseData } from './dataverse-data';
import { applyInventoryRules } from './inventory-rules';
import { newRow } from './new-row';
import type { Row } from './schema';
import { tablesByEntitySet } from './tables';
import { syncWorkOrders } from './work-order-rules';

export type SimulationResult =
  { ok: true; body: Record<string, unknown> } | { ok: false; status: number; message: string };

const used = 690970001;
const completed = 690970003;
const scheduledInvoice = 690970000;
const processedInvoice = 690970001;
const round = (value: number) => Math.round(value * 100) / 100;

/**
 * A technician finishes a work order: every line becomes Used (with its estimate when nothing was recorded)
 * and the work order Open-Completed.
 */
export function completeWorkOrder(data: DataverseData, name: string): SimulationResult {
  const table = tablesByEntitySet.get('msdyn_workorders');
  const workOrder = table && data.findByKey(table, new Map([['msdyn_name', name]]));
  if (!workOrder) return { ok: false, status: 404, message: `Work order ${name} does not exist.` };
  const id = workOrder.msdyn_workorderid;
  for (const line of data.rows('msdyn_workorderproducts').filter((row) => row.msdyn_workorder === id)) {
    const quantity = Number(line.msdyn_quantity) || Number(line.msdyn_estimatequantity) || 0;
    update(data, 'msdyn_workorderproducts', line, {
      msdyn_linestatus: used,
      msdyn_quantity: quantity,
      msdyn_qtytobill: quantity,
      msdyn_totalamount: round(
        quantity * Number(line.msdyn_unitamount ?? 0) - Number(line.msdyn_discountamount ?? 0),
      ),
    });
    applyInventoryRules(data, 'msdyn_workorderproducts', line, undefined);
  }
  for (const line of data.rows('msdyn_workorderservices').filter((row) => row.msdyn_workorder === id)) {
    const minutes = Number(line.msdyn_duration) || Number(line.msdyn_estimateduration) || 0;
    update(data, 'msdyn_workorderservices', line, {
      msdyn_linestatus: used,
      msdyn_duration: minutes,
      msdyn_durationtobill: minutes,
      msdyn_totalamount: round(
        (minutes / 60) * Number(line.msdyn_unitamount ?? 0) - Number(line.msdyn_discountamount ?? 0),
      ),
    });
  }
  update(data, 'msdyn_workorders', workOrder, { msdyn_systemstatus: completed });
  syncWorkOrders(data, [id]);
  return { ok: true, body: { msdyn_workorderid: id, msdyn_name: name, msdyn_systemstatus: completed } };
}

/**
 * Field Service's agreement invoicing: the agreement's next Scheduled invoice date produces an invoice with a
 * line per agreement invoice product, and the date becomes Processed.
 */
export function invoiceAgreement(data: DataverseData, name: string): SimulationResult {
  const agreements = tablesByEntitySet.get('msdyn_agreements');
  const agreement = agreements && data.findByKey(agreements, new Map([['msdyn_name', name]]));
  if (!agreement) return { ok: false, status: 404, message: `Agreement ${name} does not exist.` };
  const id = agreement.msdyn_agreementid;
  const invoiceDate = data
    .rows('msdyn_agreementinvoicedates')
    .filter((row) => row.msdyn_agreement === id && row.msdyn_invoicestatus === scheduledInvoice)
    .sort((a, b) => String(a.msdyn_invoicedate).localeCompare(String(b.msdyn_invoicedate)))[0];
  if (!invoiceDate)
    return { ok: false, status: 409, message: `Agreement ${name} has no scheduled invoice date left.` };
  const products = data.rows('msdyn_agreementinvoiceproducts').filter((row) => row.msdyn_agreement === id);
  const lines = products.map((product) => {
    const quantity = Number(product.msdyn_quantity ?? 0);
    const price = Number(product.msdyn_priceperunit ?? 0);
    return { product, quantity, price, amount: round(quantity * price) };
  });
  const total = round(lines.reduce((sum, line) => sum + line.amount, 0));
  const invoiceNumber = nextInvoiceNumber(data);
  const invoice = insert(data, 'invoices', {
    name: `${name} ${String(invoiceDate.msdyn_invoicedate)}`,
    invoicenumber: invoiceNumber,
    customerid: agreement.msdyn_billingaccount ?? agreement.msdyn_serviceaccount,
    msdyn_agreement: id,
    transactioncurrencyid: agreement.transactioncurrencyid,
    totallineitemamount: total,
    totalamount: total,
    totaltax: 0,
    totaldiscountamount: 0,
    msdynce_invoicedate: invoiceDate.msdyn_invoicedate,
    msdynce_haslineswithagreementorigin: true,
  });
  lines.forEach(({ product, quantity, price, amount }, index) => {
    const productRow =
      typeof product.msdyn_product === 'string' ? data.get('products', product.msdyn_product) : undefined;
    insert(data, 'invoicedetails', {
      productdescription: productRow?.name ?? product.msdyn_name,
      lineitemnumber: index + 1,
      invoiceid: invoice.invoiceid,
      productid: product.msdyn_product,
      uomid: product.msdyn_unit,
      quantity,
      priceperunit: price,
      baseamount: amount,
      extendedamount: amount,
      manualdiscountamount: 0,
      tax: 0,
      msdynce_hasagreementorigin: true,
      transactioncurrencyid: agreement.transactioncurrencyid,
    });
  });
  update(data, 'msdyn_agreementinvoicedates', invoiceDate, { msdyn_invoicestatus: processedInvoice });
  return {
    ok: true,
    body: { invoiceid: invoice.invoiceid, invoicenumber: invoiceNumber, totalamount: total },
  };
}

function nextInvoiceNumber(data: DataverseData): string {
  const numbers = data
    .rows('invoices')
    .map((row) => Number(/^INV-(\d+)$/.exec(String(row.invoicenumber))?.[1] ?? 0));
  return `INV-${String(Math.max(0, ...numbers) + 1).padStart(5, '0')}`;
}

function insert(data: DataverseData, entitySet: string, values: Row): Row {
  const table = tablesByEntitySet.get(entitySet);
  if (!table) throw new Error(`Unknown table ${entitySet}`);
  const row = { ...newRow(table, randomUUID(), data.nextVersion(), data.clock.now()), ...values };
  data.put(table, row);
  return row;
}

function update(data: DataverseData, entitySet: string, row: Row, values: Row): void {
  const previous = { ...row };
  Object.assign(row, values, { modifiedon: data.clock.now(), versionnumber: data.nextVersion() });
  data.updated(entitySet, row, Object.keys(values), previous);
}
