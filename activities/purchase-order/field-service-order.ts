import { eq, guid } from '../../connectors';
import { columnsOf, type DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { purchaseOrderProducts, purchaseOrders } from '../../connectors/entities/dataverse';
import { businessFailure } from '../business-failure';

const LINES = 'msdyn_msdyn_purchaseorder_msdyn_purchaseorderproduct_PurchaseOrder';

export type FieldServiceRow = Record<string, unknown> & { '@odata.etag': string };

export interface FieldServiceOrder {
  header: FieldServiceRow;
  /** By line number (`msdyn_lineorder`). */
  lines: Map<number, FieldServiceRow>;
}

/** The Field Service purchase order and its lines, in one request. */
export async function readFieldServiceOrder(
  dataverse: DataverseClient,
  purchaseOrderNumber: string,
): Promise<FieldServiceOrder> {
  for await (const row of dataverse.query(purchaseOrders, {
    filter: eq('msdyn_name', purchaseOrderNumber),
    expand: [{ navigation: LINES, select: columnsOf(purchaseOrderProducts.schema) }],
    top: 1,
  })) {
    const lines = new Map<number, FieldServiceRow>();
    const expanded =
      Array.isArray(row[LINES]) && !(`${LINES}@odata.nextLink` in row) ? row[LINES] : undefined;
    const rows = expanded
      ? (expanded as unknown[]).map((line) => purchaseOrderProducts.schema.parse(line))
      : await queryLines(dataverse, row.msdyn_purchaseorderid);
    for (const line of rows) lines.set(Number(line.msdyn_lineorder), line);
    return { header: row, lines };
  }
  throw businessFailure(`Purchase order ${purchaseOrderNumber} does not exist in Field Service`, 'NotFound');
}

async function queryLines(dataverse: DataverseClient, orderId: string): Promise<FieldServiceRow[]> {
  const rows: FieldServiceRow[] = [];
  for await (const line of dataverse.query(purchaseOrderProducts, {
    filter: eq('_msdyn_purchaseorder_value', guid(orderId)),
  })) {
    rows.push(line);
  }
  return rows;
}
