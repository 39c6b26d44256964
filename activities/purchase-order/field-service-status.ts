import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { purchaseOrderProducts, purchaseOrders } from '../../connectors/entities/dataverse';
import { mapRecord } from '../../mappings/engine';
import type { FinancePurchaseOrder, OwnedValues } from './contract';
import { type FieldServiceRow, readFieldServiceOrder } from './field-service-order';
import type { PurchaseOrderTasks } from './purchase-order-tasks';

/**
 * The mapped values that differ from the row. A column Field Service owns takes F&O's value only while
 * Field Service still holds what F&O was last told (`synced`): then F&O changed it; otherwise an edit in
 * Field Service not yet reported must not be overwritten. Lookups (the task's bindings) identify rows.
 */
function changed(
  values: Record<string, unknown>,
  row: FieldServiceRow,
  synced: Record<string, unknown> | undefined,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(
      ([column, value]) =>
        value !== undefined &&
        row[column] !== value &&
        (synced === undefined || !(column in synced) || synced[column] === (row[column] ?? null)),
    ),
  );
}

/**
 * Shows F&O's purchase order in Field Service as the status and price tasks say: approval and order
 * status on the header, price, discount, line amount and status on each line (Field Service totals
 * them itself), and F&O's changes to what Field Service owns (e.g. a quantity
 * procurement corrected). One read, then one change set of what differs (`If-Match`), so a retry
 * changes nothing twice.
 */
export async function updateFieldServicePurchaseOrder(
  dataverse: DataverseClient,
  tasks: Pick<PurchaseOrderTasks, 'header' | 'lines' | 'headerStatus' | 'linePrices'>,
  { order, synced }: { order: FinancePurchaseOrder; synced: OwnedValues },
): Promise<OwnedValues> {
  const current = await readFieldServiceOrder(dataverse, order.purchaseOrderNumber);
  const operations = [];
  const header = changed(mapRecord(tasks.headerStatus, order.header).values, current.header, synced.header);
  // What F&O holds of Field Service's columns once this is written: F&O's values where they were written.
  const told: OwnedValues = {
    header: { ...synced.header, ...written(header, synced.header) },
    lines: { ...synced.lines },
  };
  if (Object.keys(header).length > 0) {
    operations.push(
      dataverse.updateOperation(
        purchaseOrders,
        String(current.header.msdyn_purchaseorderid),
        header,
        current.header['@odata.etag'],
      ),
    );
  }
  for (const line of order.lines) {
    const lineNumber = Number(line.LineNumber);
    const row = current.lines.get(lineNumber);
    if (!row) continue; // a line added in F&O: Field Service orders start in Field Service
    const values = changed(mapRecord(tasks.linePrices, line).values, row, synced.lines[String(lineNumber)]);
    if (Object.keys(values).length === 0) continue;
    const syncedLine = synced.lines[String(lineNumber)];
    if (syncedLine) told.lines[String(lineNumber)] = { ...syncedLine, ...written(values, syncedLine) };
    operations.push(
      dataverse.updateOperation(
        purchaseOrderProducts,
        String(row.msdyn_purchaseorderproductid),
        values,
        row['@odata.etag'],
      ),
    );
  }
  if (operations.length > 0) await dataverse.batch([operations]);
  return told;
}

/** The values written to columns Field Service owns. */
function written(values: Record<string, unknown>, owned: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([column]) => column in owned));
}
