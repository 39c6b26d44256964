import {
  inventoryAdjustmentProductSchema,
  inventoryAdjustmentSchema,
} from '../../connectors/entities/dataverse';
import { financeWarehouseSchema, onHandSchema } from '../../connectors/entities/finance';
import { findTask, mapRecord, selectsRecord } from '../../mappings/engine';
import { loadMappingProject } from '../../mappings/project/loader';
import { id } from './support/records';
import { connectorCatalog } from '../../connectors/entities/catalog';

function taskOf(template: string, name: string) {
  return findTask(
    loadMappingProject(template, connectorCatalog()),
    (task) => task.name === name,
    `task ${name}`,
  );
}

test('an F&O warehouse becomes an externally maintained Field Service warehouse keyed by its id', () => {
  const warehouse = financeWarehouseSchema.parse({
    dataAreaId: 'usmf',
    WarehouseId: '13',
    WarehouseName: 'Service van 13',
    OperationalSiteId: '1',
  });
  const payload = mapRecord(taskOf('warehouses-to-field-service', 'Warehouse'), warehouse);
  expect(payload.key).toEqual({ msdyn_name: '13' });
  expect(payload.values).toEqual({
    msdyn_name: '13',
    msdyn_description: 'Service van 13',
    msdyn_warehouseidentifier: '13',
    msdynce_ismaintainedexternally: true,
  });
});

test('an on-hand level names the product and warehouse by natural key and the level to reach', () => {
  const level = onHandSchema.parse({
    dataAreaId: 'usmf',
    ItemNumber: 'P-1000',
    ProductColorId: '',
    ProductConfigurationId: '',
    ProductSizeId: '',
    ProductStyleId: '',
    ProductVersionId: '',
    InventorySiteId: '1',
    InventoryWarehouseId: '11',
    OnHandQuantity: 42,
    OnOrderQuantity: 0,
    OrderedQuantity: 0,
  });
  const payload = mapRecord(taskOf('product-inventory-to-field-service', 'Product inventory'), level);
  expect(payload.values).toEqual({ msdyn_qtyonhand: 42 });
  expect(payload.bindings).toEqual({
    msdyn_product: { entity: 'products', field: 'productnumber', value: 'P-1000' },
    msdyn_warehouse: { entity: 'msdyn_warehouses', field: 'msdyn_name', value: '11' },
  });
});

test('only Posted adjustments sync; a line maps its product, signed quantity and the adjustment time', () => {
  const header = taskOf('inventory-adjustments-to-finance', 'Inventory adjustment journals');
  const adjustment = inventoryAdjustmentSchema.parse({
    '@odata.etag': 'W/"1"',
    msdyn_inventoryadjustmentid: id(),
    msdyn_name: 'ADJ-001',
    _msdyn_warehouse_value: id(),
    msdyn_adjustmenttime: '2026-03-01T10:00:00Z',
    msdynce_poststatus: 1,
  });
  expect(selectsRecord(header, adjustment)).toBe(false);
  const posted = { ...adjustment, msdynce_poststatus: 2 };
  expect(selectsRecord(header, posted)).toBe(true);
  expect(mapRecord(header, posted).values).toMatchObject({
    Description: 'ADJ-001',
    JournalNameId: 'IMov',
    JournalOriginType: 'ExternalIntegration',
  });

  const line = inventoryAdjustmentProductSchema.parse({
    '@odata.etag': 'W/"1"',
    msdyn_inventoryadjustmentproductid: id(),
    msdyn_name: 'ADJ-001-1',
    _msdyn_product_value: id(),
    msdyn_quantity: -3,
    _msdyn_inventoryadjustment_value: adjustment.msdyn_inventoryadjustmentid,
    _msdyn_inventorytransfer_value: null,
  });
  const payload = mapRecord(taskOf('inventory-adjustments-to-finance', 'Inventory Adjustments'), line, {
    msdyn_product: { productnumber: 'P-1001' },
    msdyn_inventoryadjustment: posted,
  });
  expect(payload.values).toMatchObject({
    ItemNumber: 'P-1001',
    InventoryQuantity: -3,
    TransactionDate: '2026-03-01T10:00:00Z',
    ItemBatchNumber: '',
  });
});

test('a transfer line maps its product, quantity and the transfer time', () => {
  const line = inventoryAdjustmentProductSchema.parse({
    '@odata.etag': 'W/"1"',
    msdyn_inventoryadjustmentproductid: id(),
    msdyn_name: 'TRF-001-1',
    _msdyn_product_value: id(),
    msdyn_quantity: 4,
    _msdyn_inventoryadjustment_value: null,
    _msdyn_inventorytransfer_value: id(),
  });
  const payload = mapRecord(taskOf('inventory-transfers-to-finance', 'Inventory Transfers'), line, {
    msdyn_product: { productnumber: 'P-1000' },
    msdyn_inventorytransfer: { msdyn_transfertime: '2026-03-02T08:00:00Z' },
  });
  expect(payload.values).toMatchObject({
    ItemNumber: 'P-1000',
    InventoryQuantity: 4,
    TransactionDate: '2026-03-02T08:00:00Z',
  });
});
