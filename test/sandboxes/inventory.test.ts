import { json, startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

interface Level {
  msdyn_qtyonhand: number;
  msdyn_qtyallocated: number;
  msdyn_qtyavailable: number;
}

async function body<T>(response: Promise<Response>): Promise<T> {
  const answer = await response;
  if (!answer.ok) throw new Error(`${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

async function fieldServiceLevel(product: string, warehouse: string): Promise<Level> {
  const { value } = await body<{ value: Level[] }>(
    client.dataverse(
      `msdyn_productinventories?$filter=msdyn_product/productnumber eq '${product}' and msdyn_warehouse/msdyn_name eq '${warehouse}'`,
    ),
  );
  expect(value).toHaveLength(1);
  return value[0];
}

async function financeLevel(item: string, warehouse: string) {
  const { value } = await body<{
    value: {
      OnHandQuantity: number;
      ReservedOnHandQuantity: number;
      AvailableOnHandQuantity: number;
      ModifiedDateTime: string;
    }[];
  }>(
    client.finance(
      `WarehousesOnHandV2?$filter=ItemNumber eq '${item}' and InventoryWarehouseId eq '${warehouse}'`,
    ),
  );
  expect(value).toHaveLength(1);
  return value[0];
}

const create = async (entitySet: string, values: Record<string, unknown>): Promise<string> => {
  const response = await client.dataverse(entitySet, { method: 'POST', ...json(values) });
  if (response.status !== 204) throw new Error(`${response.status} ${await response.text()}`);
  return /\(([^)]+)\)$/.exec(response.headers.get('odata-entityid') ?? '')![1];
};

const patch = (path: string, values: Record<string, unknown>, headers: Record<string, string> = {}) =>
  client.dataverse(path, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(values),
  });

test('Field Service starts with F&O levels less what the demo work orders used, allocations counted', async () => {
  // WO-00003 used 3 P-1000 from warehouse 13; WO-00002 allocates 1 P-1001 there; WO-00004 used 1 P-1001.
  expect(await fieldServiceLevel('P-1000', '13')).toMatchObject({
    msdyn_qtyonhand: 17,
    msdyn_qtyallocated: 0,
  });
  expect(await fieldServiceLevel('P-1001', '13')).toMatchObject({
    msdyn_qtyonhand: 34,
    msdyn_qtyallocated: 1,
    msdyn_qtyavailable: 33,
  });
  expect(await fieldServiceLevel('P-1000', '11')).toMatchObject({ msdyn_qtyonhand: 20 });
  expect((await financeLevel('P-1000', '13')).OnHandQuantity).toBe(20);
});

test('a manual inventory journal moves Field Service stock and cannot be changed afterwards', async () => {
  const id = await create('msdyn_inventoryjournals', {
    msdyn_name: 'Found in the van',
    msdyn_quantity: 4,
    'msdyn_product@odata.bind': "/products(productnumber='P-1000')",
    'msdyn_warehouse@odata.bind': "/msdyn_warehouses(msdyn_name='11')",
  });
  expect((await fieldServiceLevel('P-1000', '11')).msdyn_qtyonhand).toBe(24);
  expect((await patch(`msdyn_inventoryjournals(${id})`, { msdyn_quantity: 5 })).status).toBe(400);
  expect((await client.dataverse(`msdyn_inventoryjournals(${id})`, { method: 'DELETE' })).status).toBe(400);
  await create('msdyn_inventoryjournals', {
    msdyn_name: 'Back',
    msdyn_quantity: -4,
    'msdyn_product@odata.bind': "/products(productnumber='P-1000')",
    'msdyn_warehouse@odata.bind': "/msdyn_warehouses(msdyn_name='11')",
  });
  expect((await fieldServiceLevel('P-1000', '11')).msdyn_qtyonhand).toBe(20);
});

test('a used work order product takes stock once; a changed quantity books only the difference', async () => {
  const before = (await fieldServiceLevel('P-1000', '11')).msdyn_qtyonhand;
  const workOrder = await create('msdyn_workorders', { msdyn_name: 'WO-INV-1' });
  const line = await create('msdyn_workorderproducts', {
    msdyn_name: 'Air filter',
    'msdyn_workorder@odata.bind': `/msdyn_workorders(${workOrder})`,
    'msdyn_product@odata.bind': "/products(productnumber='P-1000')",
    'msdyn_warehouse@odata.bind': "/msdyn_warehouses(msdyn_name='11')",
    msdyn_linestatus: 690970000,
    msdyn_allocated: true,
    msdyn_estimatequantity: 2,
  });
  expect(await fieldServiceLevel('P-1000', '11')).toMatchObject({
    msdyn_qtyonhand: before,
    msdyn_qtyallocated: 2,
  });
  expect(
    (await patch(`msdyn_workorderproducts(${line})`, { msdyn_linestatus: 690970001, msdyn_quantity: 2 }))
      .status,
  ).toBe(204);
  expect(await fieldServiceLevel('P-1000', '11')).toMatchObject({
    msdyn_qtyonhand: before - 2,
    msdyn_qtyallocated: 0,
  });
  await patch(`msdyn_workorderproducts(${line})`, { msdyn_quantity: 3 });
  await patch(`msdyn_workorderproducts(${line})`, { msdyn_description: 'no stock change' });
  expect((await fieldServiceLevel('P-1000', '11')).msdyn_qtyonhand).toBe(before - 3);
});

test('adjustments and transfers move Field Service stock when Posted and are read-only afterwards', async () => {
  const adjustment = await create('msdyn_inventoryadjustments', {
    msdyn_name: 'ADJ-SB-1',
    msdyn_adjustmenttime: '2026-03-01T10:00:00Z',
    msdynce_poststatus: 1,
    'msdyn_warehouse@odata.bind': "/msdyn_warehouses(msdyn_name='11')",
  });
  const line = await create('msdyn_inventoryadjustmentproducts', {
    msdyn_name: 'ADJ-SB-1-1',
    msdyn_quantity: -2,
    'msdyn_product@odata.bind': "/products(productnumber='P-1001')",
    'msdyn_inventoryadjustment@odata.bind': `/msdyn_inventoryadjustments(${adjustment})`,
  });
  const before = (await fieldServiceLevel('P-1001', '11')).msdyn_qtyonhand;
  expect((await patch(`msdyn_inventoryadjustments(${adjustment})`, { msdynce_poststatus: 2 })).status).toBe(
    204,
  );
  expect((await fieldServiceLevel('P-1001', '11')).msdyn_qtyonhand).toBe(before - 2);

  expect((await patch(`msdyn_inventoryadjustmentproducts(${line})`, { msdyn_quantity: -5 })).status).toBe(
    400,
  );
  expect((await patch(`msdyn_inventoryadjustments(${adjustment})`, { msdynce_poststatus: 1 })).status).toBe(
    400,
  );
  expect(
    (await patch(`msdyn_inventoryadjustments(${adjustment})`, { msdynce_journalnumber: 'IAJ-1' })).status,
  ).toBe(204);
  const bypass = { 'MSCRM.BypassCustomPluginExecution': 'true' };
  expect(
    (await patch(`msdyn_inventoryadjustmentproducts(${line})`, { msdyn_quantity: -5 }, bypass)).status,
  ).toBe(204);

  const transfer = await create('msdyn_inventorytransfers', {
    msdyn_name: 'TRF-SB-1',
    msdyn_transfertime: '2026-03-01T10:00:00Z',
    msdynce_poststatus: 1,
    'msdyn_sourcewarehouse@odata.bind': "/msdyn_warehouses(msdyn_name='11')",
    'msdyn_destinationwarehouse@odata.bind': "/msdyn_warehouses(msdyn_name='13')",
  });
  await create('msdyn_inventoryadjustmentproducts', {
    msdyn_name: 'TRF-SB-1-1',
    msdyn_quantity: 3,
    'msdyn_product@odata.bind': "/products(productnumber='P-1001')",
    'msdyn_inventorytransfer@odata.bind': `/msdyn_inventorytransfers(${transfer})`,
  });
  const source = (await fieldServiceLevel('P-1001', '11')).msdyn_qtyonhand;
  const destination = (await fieldServiceLevel('P-1001', '13')).msdyn_qtyonhand;
  await patch(`msdyn_inventorytransfers(${transfer})`, { msdynce_poststatus: 2 });
  expect((await fieldServiceLevel('P-1001', '11')).msdyn_qtyonhand).toBe(source - 3);
  expect((await fieldServiceLevel('P-1001', '13')).msdyn_qtyonhand).toBe(destination + 3);
});

test('F&O on-hand follows posted journals, reservations of open sales order lines and invoiced lines', async () => {
  const header = (number: string) => ({ JournalNumber: number, JournalNameId: 'IMov', Description: 'test' });
  const post = (path: string, values: Record<string, unknown>) =>
    client.finance(path, { method: 'POST', ...json(values) });
  const adjustment = await body<{ JournalNumber: string }>(
    post('InventoryAdjustmentJournalHeaders', header('')),
  );
  await body(
    post('InventoryAdjustmentJournalEntriesV2', {
      JournalNumber: adjustment.JournalNumber,
      LineNumber: 1,
      ItemNumber: 'P-1000',
      InventorySiteId: '1',
      InventoryWarehouseId: '11',
      InventoryQuantity: 5,
    }),
  );
  const transfer = await body<{ JournalNumber: string }>(post('InventoryTransferJournalHeaders', header('')));
  await body(
    post('InventoryTransferJournalEntries', {
      JournalNumber: transfer.JournalNumber,
      LineNumber: 1,
      ItemNumber: 'P-1000',
      InventoryQuantity: 4,
      SourceWarehouseId: '11',
      DestinationWarehouseId: '13',
    }),
  );
  const at11 = (await financeLevel('P-1000', '11')).OnHandQuantity;
  const at13 = (await financeLevel('P-1000', '13')).OnHandQuantity;
  expect(await body(client.control('finance', 'inventory-journals/post', { method: 'POST' }))).toMatchObject({
    posted: [
      { JournalNumber: adjustment.JournalNumber, kind: 'adjustment' },
      { JournalNumber: transfer.JournalNumber, kind: 'transfer' },
    ],
  });
  expect((await financeLevel('P-1000', '11')).OnHandQuantity).toBe(at11 + 5 - 4);
  expect((await financeLevel('P-1000', '13')).OnHandQuantity).toBe(at13 + 4);
  expect(
    (
      await client.control('finance', `inventory-journals/usmf/${adjustment.JournalNumber}/post`, {
        method: 'POST',
      })
    ).status,
  ).toBe(409);

  await body(
    post('CDSSalesOrderHeaders', {
      SalesOrderNumber: 'SO-INV-1',
      OrderingCustomerAccountNumber: 'US-001',
      CurrencyCode: 'USD',
    }),
  );
  await body(
    post('CDSSalesOrderLines', {
      SalesOrderNumber: 'SO-INV-1',
      LineCreationSequenceNumber: 1,
      ProductNumber: 'P-1000',
      OrderedSalesQuantity: 2,
      SalesPrice: 45,
      ShippingWarehouseId: '13',
    }),
  );
  const reserved = await financeLevel('P-1000', '13');
  expect(reserved).toMatchObject({
    OnHandQuantity: at13 + 4,
    ReservedOnHandQuantity: 2,
    AvailableOnHandQuantity: at13 + 2,
  });
  expect(
    (await client.control('finance', 'sales-orders/usmf/SO-INV-1/post-invoice', { method: 'POST' })).status,
  ).toBe(200);
  expect(await financeLevel('P-1000', '13')).toMatchObject({
    OnHandQuantity: at13 + 2,
    ReservedOnHandQuantity: 0,
  });

  const counted = await body<{ OnHandQuantity: number }>(
    client.control('finance', 'on-hand/usmf/11/P-1001', { method: 'PUT', ...json({ onHand: 7 }) }),
  );
  expect(counted.OnHandQuantity).toBe(7);
  expect((await financeLevel('P-1001', '11')).OnHandQuantity).toBe(7);
});

test('shipping a sales order takes its stock out once; invoicing it afterwards takes nothing more', async () => {
  const post = (path: string, values: Record<string, unknown>) =>
    client.finance(path, { method: 'POST', ...json(values) });
  await body(
    post('CDSSalesOrderHeaders', {
      SalesOrderNumber: 'SO-SHIP-1',
      OrderingCustomerAccountNumber: 'US-001',
      CurrencyCode: 'USD',
    }),
  );
  await body(
    post('CDSSalesOrderLines', {
      SalesOrderNumber: 'SO-SHIP-1',
      LineCreationSequenceNumber: 1,
      ProductNumber: 'P-1001',
      OrderedSalesQuantity: 2,
      SalesPrice: 1250,
      ShippingWarehouseId: '13',
    }),
  );
  const before = await financeLevel('P-1001', '13');
  expect(before.ReservedOnHandQuantity).toBe(2);
  const line = await body<{ ShippingSiteId: string }>(
    client.finance(
      "CDSSalesOrderLines(dataAreaId='usmf',SalesOrderNumber='SO-SHIP-1',LineCreationSequenceNumber=1)",
    ),
  );
  expect(line.ShippingSiteId).toBe('1');
  expect(
    await body(client.control('finance', 'sales-orders/usmf/SO-SHIP-1/ship', { method: 'POST' })),
  ).toEqual({
    shipped: 1,
  });
  expect(await financeLevel('P-1001', '13')).toMatchObject({
    OnHandQuantity: before.OnHandQuantity - 2,
    ReservedOnHandQuantity: 0,
  });
  expect(
    (await client.control('finance', 'sales-orders/usmf/SO-SHIP-1/post-invoice', { method: 'POST' })).status,
  ).toBe(200);
  expect((await financeLevel('P-1001', '13')).OnHandQuantity).toBe(before.OnHandQuantity - 2);
});
