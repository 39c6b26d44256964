import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { purchaseOrderProducts, purchaseOrders } from '../../connectors/entities/dataverse';
import { mapRecord } from '../../mappings/engine';
import type { FinancePurchaseOrder } from './contract';
import { type FieldServiceRow, readFieldServiceOrder } from './field-service-order';
import type { PurchaseOrderTasks } from './purchase-order-tasks';

/** The mapped values that differ from the row; lookups (the task's bindings) identify rows and are left alone. */
function changed(values: Record<string, unknown>, row: FieldServiceRow): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(([column, value]) => value !== undefined && row[column] !== value),
  );
}

/**
 * Shows F&O's purchase order in Field Service as the status and price tasks say: approval and order
 * status on the header (with the total, which exists only in Field Service), price, discount, line
 * amount and status on each line. One read, then one change set of what differs (`If-Match`), so a
 * retry changes nothing twice. Returns how many rows it changed.
 */
export async function updateFieldServicePurchaseOrder(
  dataverse: DataverseClient,
  tasks: Pick<PurchaseOrderTasks, 'headerStatus' | 'linePrices'>,
  order: FinancePurchaseOrder,
): Promise<number> {
  const current = await readFieldServiceOrder(dataverse, order.purchaseOrderNumber);
  const operations = [];
  const header = changed(
    { ...mapRecord(tasks.headerStatus, order.header).values, msdyn_totalamount: order.totalAmount },
    current.header,
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
    const values = changed(mapRecord(tasks.linePrices, line).values, row);
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
