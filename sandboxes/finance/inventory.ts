import type { FinanceData } from './finance-data';
import type { FinanceRow } from './finance-state';

export type JournalPosting =
  | { ok: true; journal: { dataAreaId: string; JournalNumber: string; kind: JournalKind; lines: number } }
  | { ok: false; status: number; message: string };

export type JournalKind = 'adjustment' | 'transfer';

const storages: Record<JournalKind, { header: string; lines: string }> = {
  adjustment: { header: 'adjustmentJournalHeaders', lines: 'adjustmentJournalEntries' },
  transfer: { header: 'transferJournalHeaders', lines: 'transferJournalEntries' },
};

/**
 * F&O's inventory as the integration sees it in `WarehousesOnHandV2`: posted adjustment and transfer journals
 * move on-hand, open sales order lines with a warehouse reserve it, invoiced ones take it out. Every change
 * stamps the level's `ModifiedDateTime`.
 */
export function postInventoryJournal(
  data: FinanceData,
  company: string,
  journalNumber: string,
): JournalPosting {
  for (const kind of Object.keys(storages) as JournalKind[]) {
    const header = data.where(storages[kind].header, {
      dataAreaId: company,
      JournalNumber: journalNumber,
    })[0];
    if (header) return postJournal(data, kind, header);
  }
  return {
    ok: false,
    status: 404,
    message: `Journal ${journalNumber} does not exist in company ${company}.`,
  };
}

/** The "Post integration inventory journals" batch job: every unposted journal, in every company. */
export function postPendingInventoryJournals(data: FinanceData): JournalPosting[] {
  return (Object.keys(storages) as JournalKind[]).flatMap((kind) =>
    data
      .rows(storages[kind].header)
      .filter((header) => header.IsPosted !== 'Yes')
      .map((header) => postJournal(data, kind, header)),
  );
}

function postJournal(data: FinanceData, kind: JournalKind, header: FinanceRow): JournalPosting {
  const company = String(header.dataAreaId);
  const journalNumber = String(header.JournalNumber);
  if (header.IsPosted === 'Yes')
    return { ok: false, status: 409, message: `Journal ${journalNumber} is already posted.` };
  const lines = data.where(storages[kind].lines, { dataAreaId: company, JournalNumber: journalNumber });
  if (lines.length === 0)
    return { ok: false, status: 400, message: `Journal ${journalNumber} has no lines to post.` };
  for (const line of lines) {
    const quantity = Number(line.InventoryQuantity);
    const item = String(line.ItemNumber);
    if (kind === 'adjustment') {
      move(data, company, item, String(line.InventoryWarehouseId), quantity);
    } else {
      move(data, company, item, String(line.SourceWarehouseId), -quantity);
      move(data, company, item, String(line.DestinationWarehouseId), quantity);
    }
  }
  data.update(header, { IsPosted: 'Yes' });
  return {
    ok: true,
    journal: { dataAreaId: company, JournalNumber: journalNumber, kind, lines: lines.length },
  };
}

/**
 * A warehouse worker ships a sales order: its open lines become Delivered and take their stocked quantities out
 * of their warehouses (invoicing them later takes nothing more).
 */
export function shipSalesOrder(
  data: FinanceData,
  company: string,
  salesOrderNumber: string,
): { ok: true; shipped: number } | { ok: false; status: number; message: string } {
  const lines = data.where('salesOrderLines', { dataAreaId: company, SalesOrderNumber: salesOrderNumber });
  if (lines.length === 0)
    return {
      ok: false,
      status: 404,
      message: `Sales order ${salesOrderNumber} has no lines in company ${company}.`,
    };
  const open = lines.filter((line) => !['Delivered', 'Invoiced'].includes(String(line.SalesOrderLineStatus)));
  for (const line of open) data.update(line, { SalesOrderLineStatus: 'Delivered' });
  consumeInvoicedLines(data, company, open);
  return { ok: true, shipped: open.length };
}

/** Shipped or invoiced sales order lines take their stocked quantities out of their warehouses. */
export function consumeInvoicedLines(data: FinanceData, company: string, lines: FinanceRow[]): void {
  for (const line of lines) {
    const warehouse = String(line.ShippingWarehouseId ?? '');
    if (warehouse && isStocked(data, company, line.ProductNumber))
      move(data, company, String(line.ProductNumber), warehouse, -Number(line.OrderedSalesQuantity));
  }
  refreshReservations(data, lines);
}

/** Reserved on-hand: the quantities of open (not invoiced) sales order lines of that item and warehouse. */
export function refreshReservations(data: FinanceData, lines: (Record<string, unknown> | undefined)[]): void {
  const levels = new Map<string, { company: string; item: string; warehouse: string }>();
  for (const line of lines) {
    if (!line?.ShippingWarehouseId || !isStocked(data, String(line.dataAreaId), line.ProductNumber)) continue;
    const level = {
      company: String(line.dataAreaId),
      item: String(line.ProductNumber),
      warehouse: String(line.ShippingWarehouseId),
    };
    levels.set(JSON.stringify(level), level);
  }
  for (const { company, item, warehouse } of levels.values()) {
    const reserved = data
      .where('salesOrderLines', { dataAreaId: company, ProductNumber: item, ShippingWarehouseId: warehouse })
      .filter((line) => !['Delivered', 'Invoiced'].includes(String(line.SalesOrderLineStatus)))
      .reduce((sum, line) => sum + Number(line.OrderedSalesQuantity), 0);
    const level = levelOf(data, company, item, warehouse);
    if (level.ReservedOnHandQuantity === reserved) continue;
    setLevel(data, level, { ReservedOnHandQuantity: reserved });
  }
}

/** An F&O user counting stock: the level becomes `onHand`. */
export function countStock(
  data: FinanceData,
  company: string,
  item: string,
  warehouse: string,
  onHand: number,
): FinanceRow {
  const level = levelOf(data, company, item, warehouse);
  setLevel(data, level, { OnHandQuantity: onHand });
  return level;
}

function move(data: FinanceData, company: string, item: string, warehouse: string, quantity: number): void {
  const level = levelOf(data, company, item, warehouse);
  setLevel(data, level, { OnHandQuantity: Number(level.OnHandQuantity) + quantity });
}

function isStocked(data: FinanceData, company: string, item: unknown): boolean {
  const product = data.where('releasedProducts', { dataAreaId: company, ProductNumber: item })[0];
  return product?.FieldServiceProductType === 'Inventory';
}

function levelOf(data: FinanceData, company: string, item: string, warehouse: string): FinanceRow {
  const existing = data.where('onHand', {
    dataAreaId: company,
    ItemNumber: item,
    InventoryWarehouseId: warehouse,
  })[0];
  if (existing) return existing;
  const site = data.where('warehouses', { dataAreaId: company, WarehouseId: warehouse })[0]
    ?.OperationalSiteId;
  const product = data.where('releasedProducts', { dataAreaId: company, ProductNumber: item })[0];
  return data.insert('onHand', {
    dataAreaId: company,
    ItemNumber: item,
    ProductName: product?.ProductName ?? '',
    InventorySiteId: site ?? '',
    InventoryWarehouseId: warehouse,
  });
}

function setLevel(data: FinanceData, level: FinanceRow, values: Record<string, unknown>): void {
  const next = { ...level, ...values };
  data.update(level, {
    ...values,
    AvailableOnHandQuantity: Number(next.OnHandQuantity) - Number(next.ReservedOnHandQuantity),
    // Milliseconds, unlike F&O's datetimes: a change in the same second as a sync's read must still be newer.
    ModifiedDateTime: new Date().toISOString(),
  });
}
