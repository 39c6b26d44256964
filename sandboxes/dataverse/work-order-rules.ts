import type { DataverseData } from './dataverse-data';
import type { Row } from './schema';

const lineSets = [
  {
    entitySet: 'msdyn_workorderproducts',
    productAttribute: 'msdyn_product',
    usedColumns: ['msdyn_quantity', 'msdyn_qtytobill'],
    /** What a line bills, in units of its price: quantities for products. */
    usedQuantity: (line: Row) => Number(line.msdyn_quantity ?? 0),
    estimatedQuantity: (line: Row) => Number(line.msdyn_estimatequantity ?? 0),
  },
  {
    entitySet: 'msdyn_workorderservices',
    productAttribute: 'msdyn_service',
    usedColumns: ['msdyn_duration', 'msdyn_durationtobill'],
    /** Services are priced per hour and recorded in minutes. */
    usedQuantity: (line: Row) => Number(line.msdyn_duration ?? 0) / 60,
    estimatedQuantity: (line: Row) => Number(line.msdyn_estimateduration ?? 0) / 60,
  },
];
const estimatedStatus = 690970000;
const usedStatus = 690970001;

/** A line going from Used back to Estimated has its used quantities reset to 0 (docs/dynamics-365-templates.md#work-orders-to-sales-orders). */
export function resetUsedQuantities(entitySet: string, before: Row, after: Row): void {
  const lineSet = lineSets.find((set) => set.entitySet === entitySet);
  if (!lineSet || before.msdyn_linestatus !== usedStatus || after.msdyn_linestatus !== estimatedStatus)
    return;
  for (const column of lineSet.usedColumns) after[column] = 0;
}

const round = (amount: number) => Math.round(amount * 100) / 100;
const amount = (quantity: number, unitAmount: unknown, discount: unknown) =>
  quantity * Number(unitAmount ?? 0) - Number(discount ?? 0);

/**
 * What Field Service's and the integration solution's plug-ins keep up to date: the work order's totals
 * (`msdyn_subtotalamount` and `msdyn_totalamount` from its used lines, `msdyn_estimatesubtotalamount` from
 * every line's estimate: quantity × unit amount − discount), its "has externally maintained products only"
 * flag (true when every line's product has `msdynce_isexternallymaintained`; true for a work order without
 * lines), and on every line a copy of that flag and of the header's system status. They are recomputed
 * whenever a work order, a line or a product changes, and a row they change is updated like any other
 * (`modifiedon` moves), so a work order whose lines were added, changed or deleted, or that became
 * eligible, is seen by whoever reads work orders by change time.
 */
export function syncWorkOrders(
  data: DataverseData,
  workOrderIds: Iterable<unknown>,
  /** When the plug-in ran; null keeps `modifiedon` (seeded rows are computed as they were written). */
  modifiedOn: string | null = data.clock.now(),
): void {
  for (const id of new Set(workOrderIds)) {
    if (typeof id !== 'string') continue;
    const workOrder = data.get('msdyn_workorders', id);
    if (!workOrder) continue;
    const lines = lineSets.flatMap((lineSet) =>
      data
        .rows(lineSet.entitySet)
        .filter((line) => line.msdyn_workorder === id)
        .map((line) => ({ line, ...lineSet })),
    );
    const used = lines
      .filter(({ line }) => line.msdyn_linestatus === usedStatus)
      .reduce(
        (sum, { line, usedQuantity }) =>
          sum + amount(usedQuantity(line), line.msdyn_unitamount, line.msdyn_discountamount),
        0,
      );
    const estimated = lines.reduce(
      (sum, { line, estimatedQuantity }) =>
        sum +
        amount(estimatedQuantity(line), line.msdyn_estimateunitamount, line.msdyn_estimatediscountamount),
      0,
    );
    const externalOnly = lines.every(({ line, productAttribute }) => {
      const productId = line[productAttribute];
      const product = typeof productId === 'string' ? data.get('products', productId) : undefined;
      return product?.msdynce_isexternallymaintained === true;
    });
    setComputed(data, 'msdyn_workorders', workOrder, modifiedOn, {
      msdyn_subtotalamount: round(used),
      msdyn_totalamount: round(used),
      msdyn_estimatesubtotalamount: round(estimated),
      msdynce_hasexternallymaintainedproductsonly: externalOnly,
    });
    for (const { line, entitySet } of lines) {
      setComputed(data, entitySet, line, modifiedOn, {
        msdynce_headersystemstatus: workOrder.msdyn_systemstatus ?? null,
        msdynce_orderhasexternalmaintainedproductsonly: externalOnly,
      });
    }
  }
}

/** The work orders a write to `entitySet` may affect. */
export function affectedWorkOrders(
  data: DataverseData,
  entitySet: string,
  rows: (Row | undefined)[],
): unknown[] {
  const present = rows.filter((row): row is Row => row !== undefined);
  if (entitySet === 'msdyn_workorders') return present.map((row) => row.msdyn_workorderid);
  if (lineSets.some((set) => set.entitySet === entitySet)) return present.map((row) => row.msdyn_workorder);
  if (entitySet === 'products') {
    const productIds = new Set(present.map((row) => row.productid));
    return lineSets.flatMap(({ entitySet: lineSet, productAttribute }) =>
      data
        .rows(lineSet)
        .filter((line) => productIds.has(line[productAttribute]))
        .map((line) => line.msdyn_workorder),
    );
  }
  return [];
}

function setComputed(
  data: DataverseData,
  entitySet: string,
  row: Row,
  modifiedOn: string | null,
  values: Row,
): void {
  const changed = Object.entries(values).filter(([name, value]) => row[name] !== value);
  if (changed.length === 0) return;
  const previous = { ...row };
  for (const [name, value] of changed) row[name] = value;
  if (modifiedOn !== null) row.modifiedon = modifiedOn;
  row.versionnumber = data.nextVersion();
  data.updated(
    entitySet,
    row,
    changed.map(([name]) => name),
    previous,
  );
}
