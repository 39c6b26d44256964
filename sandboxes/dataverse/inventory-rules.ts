import { randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../http/types';
import type { DataverseData } from './dataverse-data';
import { dataverseError } from './errors';
import { newRow } from './new-row';
import type { Row } from './schema';
import { tablesByEntitySet } from './tables';

const inventoryProduct = 690970000;
const estimated = 690970000;
const used = 690970001;
const closedStatuses = new Set([690970004, 690970005]);
const posted = 2;

/**
 * Field Service's inventory model, as its plug-ins keep it:
 * - `msdyn_productinventories` holds one row per product and warehouse; its on-hand quantity is the sum of the
 *   `msdyn_inventoryjournals` of that product and warehouse (a journal is never changed, only added), its
 *   allocated quantity the estimated quantities of allocated, estimated work order product lines.
 * - A work order product line that is Used takes its quantity out of its warehouse (a journal linked to the
 *   line); a changed quantity, warehouse or status books the difference.
 * - An inventory adjustment or transfer moves stock when its Post status becomes Posted (a journal per line,
 *   two for a transfer line) and is read-only from then on.
 * Purchase receipts or any other stock movement are manual journals: create one and the level follows.
 */
export function applyInventoryRules(
  data: DataverseData,
  entitySet: string,
  row: Row | undefined,
  previous: Row | undefined,
): void {
  switch (entitySet) {
    case 'msdyn_inventoryjournals':
      if (row && !previous) bookJournal(data, row);
      return;
    case 'msdyn_workorderproducts':
      if (row) bookUsage(data, row);
      refreshAllocations(data, [row, previous]);
      return;
    case 'msdyn_workorders':
      if (row) refreshAllocations(data, linesOf(data, row.msdyn_workorderid));
      return;
    case 'msdyn_inventoryadjustments':
    case 'msdyn_inventorytransfers':
      if (row?.msdynce_poststatus === posted && previous?.msdynce_poststatus !== posted)
        postDocument(data, entitySet, row);
      return;
  }
}

/**
 * Refuses what Field Service refuses: changing or deleting an inventory journal, and changing a Posted
 * adjustment or transfer or its lines (only the integration's journal number may still be written).
 * `MSCRM.BypassCustomPluginExecution` skips the integration solution's read-only rule, as for an administrator.
 */
export function refuseInventoryWrite(
  data: DataverseData,
  entitySet: string,
  before: Row | undefined,
  after: Row | undefined,
  bypassPlugins: boolean,
): SandboxResponse | undefined {
  if (entitySet === 'msdyn_inventoryjournals' && before) {
    return businessRule(
      'An inventory journal cannot be changed or deleted; create a journal for the difference.',
    );
  }
  if (bypassPlugins) return undefined;
  if (entitySet === 'msdyn_inventoryadjustments' || entitySet === 'msdyn_inventorytransfers') {
    if (before?.msdynce_poststatus !== posted) return undefined;
    const changed = after
      ? Object.keys(after).filter(
          (name) =>
            !['msdynce_journalnumber', 'modifiedon', 'versionnumber'].includes(name) &&
            after[name] !== before[name],
        )
      : ['the record'];
    if (changed.length === 0) return undefined;
    return businessRule(
      `${String(before.msdyn_name)} is Posted and read-only (${changed.join(', ')} cannot change).`,
    );
  }
  if (entitySet === 'msdyn_inventoryadjustmentproducts') {
    for (const line of [before, after]) {
      const parent = parentOf(data, line);
      if (parent?.msdynce_poststatus === posted)
        return businessRule(
          `${String(parent.msdyn_name)} is Posted and read-only: its products cannot change.`,
        );
    }
  }
  return undefined;
}

function businessRule(message: string): SandboxResponse {
  return dataverseError(400, '0x80040265', message);
}

function parentOf(data: DataverseData, line: Row | undefined): Row | undefined {
  if (!line) return undefined;
  if (typeof line.msdyn_inventoryadjustment === 'string')
    return data.get('msdyn_inventoryadjustments', line.msdyn_inventoryadjustment);
  if (typeof line.msdyn_inventorytransfer === 'string')
    return data.get('msdyn_inventorytransfers', line.msdyn_inventorytransfer);
  return undefined;
}

function linesOf(data: DataverseData, workOrderId: unknown): Row[] {
  return data.rows('msdyn_workorderproducts').filter((line) => line.msdyn_workorder === workOrderId);
}

function isStocked(data: DataverseData, productId: unknown): boolean {
  const product = typeof productId === 'string' ? data.get('products', productId) : undefined;
  return product?.msdyn_fieldserviceproducttype === inventoryProduct;
}

/** The used quantity's journals: after any change the line's journals add up to minus its used quantity. */
function bookUsage(data: DataverseData, line: Row): void {
  const booked = new Map<string, number>();
  for (const journal of data.rows('msdyn_inventoryjournals')) {
    if (journal.msdyn_workorderproduct !== line.msdyn_workorderproductid) continue;
    const key = `${String(journal.msdyn_product)}|${String(journal.msdyn_warehouse)}`;
    booked.set(key, (booked.get(key) ?? 0) + Number(journal.msdyn_quantity));
  }
  const usedHere =
    line.msdyn_linestatus === used &&
    typeof line.msdyn_warehouse === 'string' &&
    isStocked(data, line.msdyn_product);
  const wanted = usedHere ? `${String(line.msdyn_product)}|${String(line.msdyn_warehouse)}` : undefined;
  if (wanted && !booked.has(wanted)) booked.set(wanted, 0);
  for (const [key, quantity] of booked) {
    const target = key === wanted ? -Number(line.msdyn_quantity ?? 0) : 0;
    if (target === quantity) continue;
    const [product, warehouse] = key.split('|');
    insertJournal(data, {
      msdyn_name: `Work order product ${String(line.msdyn_name)}`,
      msdyn_product: product,
      msdyn_warehouse: warehouse,
      msdyn_unit: line.msdyn_unit,
      msdyn_quantity: target - quantity,
      msdyn_workorderproduct: line.msdyn_workorderproductid,
    });
  }
}

function postDocument(data: DataverseData, entitySet: string, document: Row): void {
  const adjustment = entitySet === 'msdyn_inventoryadjustments';
  const lookup = adjustment ? 'msdyn_inventoryadjustment' : 'msdyn_inventorytransfer';
  const id = document[adjustment ? 'msdyn_inventoryadjustmentid' : 'msdyn_inventorytransferid'];
  const moves: [unknown, number][] = adjustment
    ? [[document.msdyn_warehouse, 1]]
    : [
        [document.msdyn_sourcewarehouse, -1],
        [document.msdyn_destinationwarehouse, 1],
      ];
  for (const line of data.rows('msdyn_inventoryadjustmentproducts').filter((row) => row[lookup] === id)) {
    for (const [warehouse, sign] of moves) {
      if (typeof warehouse !== 'string' || !isStocked(data, line.msdyn_product)) continue;
      insertJournal(data, {
        msdyn_name: `${String(document.msdyn_name)} ${String(line.msdyn_name)}`,
        msdyn_product: line.msdyn_product,
        msdyn_warehouse: warehouse,
        msdyn_unit: line.msdyn_unit,
        msdyn_quantity: sign * Number(line.msdyn_quantity ?? 0),
        msdyn_inventoryadjustmentproduct: line.msdyn_inventoryadjustmentproductid,
      });
    }
  }
}

function insertJournal(data: DataverseData, values: Row): void {
  const table = tablesByEntitySet.get('msdyn_inventoryjournals')!;
  const now = data.clock.now();
  const row = {
    ...newRow(table, randomUUID(), data.nextVersion(), now),
    msdyn_transactiondate: now,
    ...values,
  };
  data.put(table, row);
  bookJournal(data, row);
}

function bookJournal(data: DataverseData, journal: Row): void {
  if (typeof journal.msdyn_product !== 'string' || typeof journal.msdyn_warehouse !== 'string') return;
  const level = levelOf(data, journal.msdyn_product, journal.msdyn_warehouse, journal.msdyn_unit);
  const onHand = Number(level.msdyn_qtyonhand ?? 0) + Number(journal.msdyn_quantity ?? 0);
  setLevel(data, level, { msdyn_qtyonhand: onHand });
}

/** Allocated: the estimated quantities of allocated, estimated lines of open work orders at that warehouse. */
function refreshAllocations(data: DataverseData, lines: (Row | undefined)[]): void {
  const pairs = new Set<string>();
  for (const line of lines) {
    if (typeof line?.msdyn_product === 'string' && typeof line.msdyn_warehouse === 'string')
      pairs.add(`${line.msdyn_product}|${line.msdyn_warehouse}`);
  }
  for (const pair of pairs) {
    const [product, warehouse] = pair.split('|');
    if (!isStocked(data, product)) continue;
    const allocated = data
      .rows('msdyn_workorderproducts')
      .filter(
        (line) =>
          line.msdyn_product === product &&
          line.msdyn_warehouse === warehouse &&
          line.msdyn_allocated === true &&
          line.msdyn_linestatus === estimated &&
          !closedStatuses.has(Number(workOrderStatus(data, line))),
      )
      .reduce((sum, line) => sum + Number(line.msdyn_estimatequantity ?? 0), 0);
    setLevel(data, levelOf(data, product, warehouse, null), { msdyn_qtyallocated: allocated });
  }
}

function workOrderStatus(data: DataverseData, line: Row): unknown {
  const workOrder =
    typeof line.msdyn_workorder === 'string' ? data.get('msdyn_workorders', line.msdyn_workorder) : undefined;
  return workOrder?.msdyn_systemstatus;
}

function levelOf(data: DataverseData, product: string, warehouse: string, unit: unknown): Row {
  const existing = data
    .rows('msdyn_productinventories')
    .find((row) => row.msdyn_product === product && row.msdyn_warehouse === warehouse);
  if (existing) return existing;
  const table = tablesByEntitySet.get('msdyn_productinventories')!;
  const productRow = data.get('products', product);
  const row: Row = {
    ...newRow(table, randomUUID(), data.nextVersion(), data.clock.now()),
    msdyn_name: String(productRow?.productnumber ?? product),
    msdyn_product: product,
    msdyn_warehouse: warehouse,
    msdyn_unit: unit ?? productRow?.defaultuomid ?? null,
    msdyn_qtyonhand: 0,
    msdyn_qtyallocated: 0,
    msdyn_qtyavailable: 0,
    msdyn_qtyonorder: 0,
  };
  data.put(table, row);
  return row;
}

function setLevel(data: DataverseData, level: Row, values: Row): void {
  const previous = { ...level };
  Object.assign(level, values);
  level.msdyn_qtyavailable = Number(level.msdyn_qtyonhand ?? 0) - Number(level.msdyn_qtyallocated ?? 0);
  level.modifiedon = data.clock.now();
  level.versionnumber = data.nextVersion();
  data.updated('msdyn_productinventories', level, [...Object.keys(values), 'msdyn_qtyavailable'], previous);
}
