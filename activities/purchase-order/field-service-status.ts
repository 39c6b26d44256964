import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { purchaseOrderProducts, purchaseOrders } from '../../connectors/entities/dataverse';
import { mapRecord } from '../../mappings/engine';
import type { ProjectTask } from '../../mappings/project/merge';
import type { FinancePurchaseOrder } from './contract';
import { type FieldServiceRow, readFieldServiceOrder } from './field-service-order';
import type { PurchaseOrderTasks } from './purchase-order-tasks';

/**
 * The mapped values that differ from the row, except columns Field Service owns (those the tasks to F&O
 * copy, e.g. the quantity): an edit not yet reported must never be overwritten by F&O's older value.
 * Lookups (the task's bindings) identify rows and are left alone.
 */
function changed(
  values: Record<string, unknown>,
  row: FieldServiceRow,
  owned: ReadonlySet<string>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(
      ([column, value]) => value !== undefined && !owned.has(column) && row[column] !== value,
    ),
  );
}

const copiedColumns = (task: ProjectTask) =>
  task.fieldMaps.flatMap((map) => (map.source ? [map.source] : []));

/**
 * Shows F&O's purchase order in Field Service as the status and price tasks say: approval and order
 * status on the header (with the total, which exists only in Field Service), price, discount, line
 * amount and status on each line. One read, then one change set of what differs (`If-Match`), so a
 * retry changes nothing twice. Returns how many rows it changed.
 */
export async function updateFieldServicePurchaseOrder(
  dataverse: DataverseClient,
  tasks: Pick<PurchaseOrderTasks, 'header' | 'lines' | 'headerStatus' | 'linePrices'>,
  order: FinancePurchaseOrder,
): Promise<number> {
  const owned = new Set([...copiedColumns(tasks.header), ...copiedColumns(tasks.lines)]);
  const current = await readFieldServiceOrder(dataverse, order.purchaseOrderNumber);
  const operations = [];
  const header = changed(
    { ...mapRecord(tasks.headerStatus, order.header).values, msdyn_totalamount: order.totalAmount },
    current.header,
    owned,
  );
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
    const row = current.lines.get(Number(line.LineNumber));
    if (!row) continue; // a line added in F&O: Field Service orders start in Field Service
    const values = changed(mapRecord(tasks.linePrices, line).values, row, owned);
    if (Object.keys(values).length === 0) continue;
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
  return operations.length;
}
