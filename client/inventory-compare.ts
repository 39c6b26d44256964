import { eq, type Connectors } from '../connectors';
import { productInventories, products, warehouses } from '../connectors/entities/dataverse';
import { financeWarehouses, onHand } from '../connectors/entities/finance';

export interface InventoryDifference {
  item: string;
  warehouse: string;
  fieldService: number;
  finance: number;
}

export interface InventoryComparison {
  /** Levels compared: per product and externally maintained warehouse, on either side. */
  compared: number;
  differences: InventoryDifference[];
}

const pairKey = (item: string, warehouse: string) => `${item.toLowerCase()}|${warehouse.toLowerCase()}`;

/**
 * Field Service's on-hand against F&O's, per product and warehouse, for the products and the warehouses of
 * the configured company that F&O maintains (the only ones the integration keeps equal). A level missing on
 * one side counts as 0.
 */
export async function compareInventory({ dataverse, finance }: Connectors): Promise<InventoryComparison> {
  const inCompany = new Set<string>();
  for await (const warehouse of finance.query(financeWarehouses, { select: ['WarehouseId'] }))
    inCompany.add(warehouse.WarehouseId.toLowerCase());
  const external = new Map<string, string>();
  for await (const warehouse of dataverse.query(warehouses, {
    filter: eq('msdynce_ismaintainedexternally', true),
  })) {
    if (inCompany.has(warehouse.msdyn_name.toLowerCase()))
      external.set(warehouse.msdyn_warehouseid, warehouse.msdyn_name);
  }
  const externalProducts = new Map<string, string>();
  for await (const product of dataverse.query(products, {
    filter: eq('msdynce_isexternallymaintained', true),
    select: ['productid', 'productnumber'],
  }))
    externalProducts.set(product.productid, product.productnumber);

  const levels = new Map<string, InventoryDifference>();
  const level = (item: string, warehouse: string) => {
    const key = pairKey(item, warehouse);
    const found = levels.get(key) ?? { item, warehouse, fieldService: 0, finance: 0 };
    levels.set(key, found);
    return found;
  };
  for await (const row of dataverse.query(productInventories)) {
    const warehouse = external.get(String(row._msdyn_warehouse_value));
    const item = externalProducts.get(String(row._msdyn_product_value));
    if (warehouse && item) level(item, warehouse).fieldService += Number(row.msdyn_qtyonhand ?? 0);
  }
  const externalNames = new Set([...external.values()].map((name) => name.toLowerCase()));
  const itemNumbers = new Set([...externalProducts.values()].map((number) => number.toLowerCase()));
  for await (const row of finance.query(onHand, {
    select: ['ItemNumber', 'InventoryWarehouseId', 'OnHandQuantity'],
  })) {
    if (!externalNames.has(row.InventoryWarehouseId.toLowerCase())) continue;
    if (!itemNumbers.has(row.ItemNumber.toLowerCase())) continue;
    level(row.ItemNumber, row.InventoryWarehouseId).finance += row.OnHandQuantity;
  }
  const differences = [...levels.values()]
    .filter((entry) => Math.abs(entry.fieldService - entry.finance) > 1e-9)
    .sort((a, b) => a.warehouse.localeCompare(b.warehouse) || a.item.localeCompare(b.item));
  return { compared: levels.size, differences };
}
