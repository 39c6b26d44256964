import { and, eq, guid, ne, or, type Filter, formattedValue } from '../../connectors';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import {
  InventoryPostStatus,
  inventoryAdjustmentProducts,
  inventoryAdjustments,
  inventoryTransfers,
  WorkOrderLineStatus,
  workOrderProducts,
  WorkOrderSystemStatus,
} from '../../connectors/entities/dataverse';
import type { SourceValues } from '../../mappings/engine';
import { KEYS_PER_QUERY } from '../key-filters';

const anyOf = (filters: Filter[]) => or(filters[0]!, ...filters.slice(1));

/**
 * Field Service stock movements F&O has not booked yet, by `<product id>|<warehouse id>`, each with the
 * documents behind it: used products of work orders that go to F&O and whose invoice is not recorded yet,
 * and Posted adjustments and transfers whose F&O journal number is not recorded yet. Only the warehouses
 * of `levels` are read.
 */
export async function inFlightMovements(
  dataverse: DataverseClient,
  levels: readonly { product: string; warehouse: string }[],
): Promise<Map<string, string[]>> {
  const waiting = new Map<string, string[]>();
  const warehouseIds = new Set(levels.map((level) => level.warehouse));
  const note = (product: unknown, warehouse: unknown, document: string) => {
    if (typeof product !== 'string' || typeof warehouse !== 'string' || !warehouseIds.has(warehouse)) return;
    const pair = `${product}|${warehouse}`;
    const documents = waiting.get(pair) ?? [];
    if (!documents.includes(document)) documents.push(document);
    waiting.set(pair, documents);
  };
  if (warehouseIds.size === 0) return waiting;

  const ids = [...warehouseIds];
  for (let start = 0; start < ids.length; start += KEYS_PER_QUERY) {
    const inWarehouses = anyOf(
      ids.slice(start, start + KEYS_PER_QUERY).map((id) => eq('_msdyn_warehouse_value', guid(id))),
    );
    const filter = and(
      inWarehouses,
      eq('msdyn_linestatus', WorkOrderLineStatus.Used),
      eq('msdynce_orderhasexternalmaintainedproductsonly', true),
      ne('msdynce_headersystemstatus', WorkOrderSystemStatus.ClosedCanceled),
      eq('msdyn_workorder/msdynce_invoicenumber', null),
    );
    for await (const line of dataverse.query(workOrderProducts, { filter })) {
      const workOrder = formattedValue(line, '_msdyn_workorder_value') ?? String(line._msdyn_workorder_value);
      note(line._msdyn_product_value, line._msdyn_warehouse_value, `work order ${workOrder}`);
    }
  }

  const unrecorded = and(
    eq('msdynce_poststatus', InventoryPostStatus.Posted),
    eq('msdynce_journalnumber', null),
  );
  const adjustments = await rows(dataverse, inventoryAdjustments, unrecorded);
  const transfers = await rows(dataverse, inventoryTransfers, unrecorded);
  const byId = new Map<string, { name: string; warehouses: unknown[] }>();
  for (const row of adjustments) {
    byId.set(String(row.msdyn_inventoryadjustmentid), {
      name: `adjustment ${String(row.msdyn_name)}`,
      warehouses: [row._msdyn_warehouse_value],
    });
  }
  for (const row of transfers) {
    byId.set(String(row.msdyn_inventorytransferid), {
      name: `transfer ${String(row.msdyn_name)}`,
      warehouses: [row._msdyn_sourcewarehouse_value, row._msdyn_destinationwarehouse_value],
    });
  }
  const parentFilters = [
    ...adjustments.map((row) =>
      eq('_msdyn_inventoryadjustment_value', guid(String(row.msdyn_inventoryadjustmentid))),
    ),
    ...transfers.map((row) =>
      eq('_msdyn_inventorytransfer_value', guid(String(row.msdyn_inventorytransferid))),
    ),
  ];
  for (let start = 0; start < parentFilters.length; start += KEYS_PER_QUERY) {
    const filter = anyOf(parentFilters.slice(start, start + KEYS_PER_QUERY));
    for await (const line of dataverse.query(inventoryAdjustmentProducts, { filter })) {
      const parent = byId.get(
        String(line._msdyn_inventoryadjustment_value ?? line._msdyn_inventorytransfer_value),
      );
      for (const warehouse of parent?.warehouses ?? [])
        note(line._msdyn_product_value, warehouse, parent!.name);
    }
  }
  return waiting;
}

async function rows(
  dataverse: DataverseClient,
  table: typeof inventoryAdjustments | typeof inventoryTransfers,
  filter: Filter,
): Promise<SourceValues[]> {
  const found: SourceValues[] = [];
  for await (const row of dataverse.query(table as typeof inventoryAdjustments, { filter })) found.push(row);
  return found;
}
