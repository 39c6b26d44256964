import type { DataverseData } from '../dataverse/dataverse-data';
import { applyInventoryRules } from '../dataverse/inventory-rules';
import type { Row } from '../dataverse/schema';
import { demoOnHand } from './demo-inventory';

/**
 * Field Service's stock in the demo: an opening journal per product and warehouse equal to F&O's on-hand,
 * then what the demo work orders use and allocate, as Field Service books them.
 */
export function seedInventory(
  data: DataverseData,
  add: (entitySet: string, key: string, values: Row) => string,
  ids: {
    products: ReadonlyMap<string, { id: string }>;
    warehouses: ReadonlyMap<string, string>;
    units: ReadonlyMap<string, string | undefined>;
  },
): void {
  for (const { warehouse, product, onHand } of demoOnHand) {
    const id = add('msdyn_inventoryjournals', `${warehouse.id}:${product.number}`, {
      msdyn_name: 'Opening balance',
      msdyn_product: ids.products.get(product.number)?.id,
      msdyn_warehouse: ids.warehouses.get(warehouse.id),
      msdyn_unit: ids.units.get(product.unit),
      msdyn_quantity: onHand,
      msdyn_transactiondate: '2026-01-05T08:00:00Z',
    });
    applyInventoryRules(data, 'msdyn_inventoryjournals', data.get('msdyn_inventoryjournals', id), undefined);
  }
  for (const line of data.rows('msdyn_workorderproducts'))
    applyInventoryRules(data, 'msdyn_workorderproducts', line, undefined);
}
