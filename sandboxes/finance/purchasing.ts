import type { FinanceData } from './finance-data';
import type { FinanceRow } from './finance-state';
import { normalizeDate, normalizeDateTime, today } from './field-values';
import { countStock } from './inventory';

export type PurchasingResult =
  { ok: true; body: Record<string, unknown> } | { ok: false; status: number; message: string };

/** What a procurement user does to the approval status of a purchase order (change management). */
export const approvalActions = {
  submit: { from: ['Draft'], to: 'InReview' },
  approve: { from: ['Draft', 'InReview'], to: 'Approved' },
  reject: { from: ['InReview'], to: 'Rejected' },
  confirm: { from: ['Approved'], to: 'Confirmed' },
  'request-change': { from: ['Approved', 'Confirmed', 'Rejected'], to: 'Draft' },
} as const;
export type ApprovalAction = keyof typeof approvalActions;

const round = (value: number) => Math.round(value * 1000) / 1000;
const receivable = ['Approved', 'Confirmed', 'Finalized'];

function findOrder(data: FinanceData, company: string, number: string): FinanceRow | undefined {
  return data.where('purchaseOrderHeaders', { dataAreaId: company, PurchaseOrderNumber: number })[0];
}

function orderLines(data: FinanceData, company: string, number: string): FinanceRow[] {
  return data
    .where('purchaseOrderLines', { dataAreaId: company, PurchaseOrderNumber: number })
    .sort((a, b) => Number(a.LineNumber) - Number(b.LineNumber));
}

const notFound = (company: string, number: string): PurchasingResult => ({
  ok: false,
  status: 404,
  message: `Purchase order ${number} does not exist in company ${company}.`,
});
const conflict = (message: string): PurchasingResult => ({ ok: false, status: 409, message });

function stamp(data: FinanceData, order: FinanceRow, values: Record<string, unknown> = {}): void {
  data.update(order, { ...values, ModifiedDateTime: normalizeDateTime(Date.now()) });
}

function visible(row: FinanceRow): Record<string, unknown> {
  const { RecId: _recId, RecVersion: _recVersion, ...rest } = row;
  return rest;
}

/** Moves the order through F&O's purchase order approval workflow. */
export function changeApproval(
  data: FinanceData,
  company: string,
  number: string,
  action: ApprovalAction,
): PurchasingResult {
  const order = findOrder(data, company, number);
  if (!order) return notFound(company, number);
  const { from, to } = approvalActions[action];
  if (order.PurchaseOrderStatus === 'Canceled') return conflict(`Purchase order ${number} is cancelled.`);
  if (!(from as readonly string[]).includes(String(order.DocumentApprovalStatus)))
    return conflict(
      `Cannot ${action} purchase order ${number}: its approval status is ${String(order.DocumentApprovalStatus)}, ` +
        `not ${from.join(' or ')}.`,
    );
  if (action !== 'request-change' && orderLines(data, company, number).length === 0)
    return { ok: false, status: 400, message: `Purchase order ${number} has no lines.` };
  stamp(data, order, { DocumentApprovalStatus: to });
  return { ok: true, body: visible(order) };
}

/** Cancels the order and its lines; an order with product receipts cannot be cancelled. */
export function cancelPurchaseOrder(data: FinanceData, company: string, number: string): PurchasingResult {
  const order = findOrder(data, company, number);
  if (!order) return notFound(company, number);
  if (order.PurchaseOrderStatus === 'Canceled')
    return conflict(`Purchase order ${number} is already cancelled.`);
  if (data.where('productReceiptHeaders', { dataAreaId: company, PurchaseOrderNumber: number }).length > 0)
    return conflict(`Purchase order ${number} has product receipts and cannot be cancelled.`);
  for (const line of orderLines(data, company, number))
    data.update(line, { PurchaseOrderLineStatus: 'Canceled' });
  stamp(data, order, { PurchaseOrderStatus: 'Canceled' });
  return { ok: true, body: visible(order) };
}

export interface ReceiptRequest {
  /** Lines and quantities in the purchase unit; every line's remaining quantity when omitted. */
  lines?: { lineNumber: number; quantity: number }[];
  productReceiptNumber?: string;
  receiptDate?: string;
}

/** What F&O has received of each line so far, by line number. */
function receivedByLine(data: FinanceData, company: string, number: string): Map<number, number> {
  const received = new Map<number, number>();
  for (const line of data.where('productReceiptLines', {
    dataAreaId: company,
    PurchaseOrderNumber: number,
  })) {
    const lineNumber = Number(line.PurchaseOrderLineNumber);
    received.set(lineNumber, (received.get(lineNumber) ?? 0) + Number(line.ReceivedPurchaseQuantity));
  }
  return received;
}

/**
 * Posts a product receipt: header and lines (`ProductReceiptHeaders`/`Lines`, `RecordId` = RecId),
 * on-hand up at each stocked line's receiving warehouse, lines and order Received once nothing remains.
 */
export function receivePurchaseOrder(
  data: FinanceData,
  company: string,
  number: string,
  request: ReceiptRequest,
): PurchasingResult {
  const order = findOrder(data, company, number);
  if (!order) return notFound(company, number);
  if (!receivable.includes(String(order.DocumentApprovalStatus)))
    return conflict(
      `Purchase order ${number} must be approved before products are received ` +
        `(approval status ${String(order.DocumentApprovalStatus)}).`,
    );
  if (order.PurchaseOrderStatus === 'Canceled' || order.PurchaseOrderStatus === 'Received')
    return conflict(`Purchase order ${number} is ${String(order.PurchaseOrderStatus)}.`);
  const lines = orderLines(data, company, number);
  const received = receivedByLine(data, company, number);
  const remaining = (line: FinanceRow) =>
    round(Number(line.OrderedPurchaseQuantity) - (received.get(Number(line.LineNumber)) ?? 0));
  const open = lines.filter((line) => line.PurchaseOrderLineStatus !== 'Canceled' && remaining(line) > 0);
  const wanted =
    request.lines ?? open.map((line) => ({ lineNumber: Number(line.LineNumber), quantity: remaining(line) }));
  const receipts: { line: FinanceRow; quantity: number }[] = [];
  for (const { lineNumber, quantity } of wanted) {
    const line = open.find((candidate) => Number(candidate.LineNumber) === lineNumber);
    if (!line) return conflict(`Purchase order ${number} has no open line ${lineNumber}.`);
    if (quantity <= 0 || quantity > remaining(line))
      return {
        ok: false,
        status: 400,
        message: `Line ${lineNumber} of purchase order ${number}: ${quantity} is more than the remaining ${remaining(line)}, or not positive.`,
      };
    receipts.push({ line, quantity });
  }
  if (receipts.length === 0) return conflict(`Purchase order ${number} has nothing left to receive.`);

  const receiptDate = request.receiptDate ? normalizeDate(Date.parse(request.receiptDate)) : today();
  const header = data.insert('productReceiptHeaders', {
    dataAreaId: company,
    ProductReceiptNumber: request.productReceiptNumber ?? data.nextNumber(`productReceipt:${company}`, 'PR-'),
    ProductReceiptDate: receiptDate,
    PurchaseOrderNumber: number,
    OrderVendorAccountNumber: order.OrderVendorAccountNumber,
  });
  header.RecordId = header.RecId;
  for (const { line, quantity } of receipts) {
    const lineNumber = Number(line.LineNumber);
    received.set(lineNumber, round((received.get(lineNumber) ?? 0) + quantity));
    const left = remaining(line);
    const receiptLine = data.insert('productReceiptLines', {
      dataAreaId: company,
      ProductReceiptHeaderRecordId: header.RecordId,
      PurchaseOrderNumber: number,
      PurchaseOrderLineNumber: lineNumber,
      ProductNumber: line.ProductNumber,
      ItemNumber: line.ProductNumber,
      ReceivedPurchaseQuantity: quantity,
      ReceivedInventoryQuantity: quantity,
      RemainingPurchaseQuantity: left,
      RemainingInventoryQuantity: left,
      ReceivingWarehouseId: line.ReceivingWarehouseId,
    });
    receiptLine.RecordId = receiptLine.RecId;
    raiseOnHand(data, company, line, quantity);
    if (left === 0) data.update(line, { PurchaseOrderLineStatus: 'Received' });
  }
  const allReceived = lines.every(
    (line) => line.PurchaseOrderLineStatus === 'Received' || line.PurchaseOrderLineStatus === 'Canceled',
  );
  stamp(data, order, allReceived ? { PurchaseOrderStatus: 'Received' } : {});
  return {
    ok: true,
    body: {
      ...visible(header),
      lines: data
        .where('productReceiptLines', { dataAreaId: company, ProductReceiptHeaderRecordId: header.RecordId })
        .map(visible),
    },
  };
}

/** Received items are on hand at the line's warehouse, as F&O's inventory counts them (`inventory.ts`). */
function raiseOnHand(data: FinanceData, company: string, line: FinanceRow, quantity: number): void {
  const warehouse = String(line.ReceivingWarehouseId);
  const item = String(line.ProductNumber);
  const product = data.where('releasedProducts', { dataAreaId: company, ProductNumber: item })[0];
  if (!warehouse || product?.FieldServiceProductType !== 'Inventory') return;
  const level = data.where('onHand', {
    dataAreaId: company,
    ItemNumber: item,
    InventoryWarehouseId: warehouse,
  })[0];
  countStock(data, company, item, warehouse, round(Number(level?.OnHandQuantity ?? 0) + quantity));
}
