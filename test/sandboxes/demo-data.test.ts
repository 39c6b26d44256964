import { startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

type Row = Record<string, unknown>;

async function rows(service: 'dataverse' | 'finance', path: string): Promise<Row[]> {
  const response = await client[service](path);
  expect(response.status).toBe(200);
  return ((await response.json()) as { value: Row[] }).value;
}

const column = (values: Row[], name: string) => values.map((row) => row[name]).sort();

const estimated = 690970000;
const used = 690970001;

test('Field Service holds customers, products of each type, units, currencies, warehouses and an agreement', async () => {
  expect(column(await rows('dataverse', 'accounts?$select=accountnumber'), 'accountnumber')).toEqual(
    expect.arrayContaining(['RT-001', 'US-001', 'US-002', 'US-003']),
  );
  const productTypes = column(
    await rows('dataverse', 'products?$select=msdyn_fieldserviceproducttype'),
    'msdyn_fieldserviceproducttype',
  );
  expect(new Set(productTypes)).toEqual(new Set([690970000, 690970001, 690970002]));
  expect(column(await rows('dataverse', 'uoms?$select=name'), 'name')).toEqual(['Box', 'Each', 'Hour']);
  expect(
    column(await rows('dataverse', 'transactioncurrencies?$select=isocurrencycode'), 'isocurrencycode'),
  ).toEqual(['EUR', 'USD']);
  expect(column(await rows('dataverse', 'msdyn_warehouses?$select=msdyn_name'), 'msdyn_name')).toEqual([
    '11',
    '13',
    '61',
  ]);
  const [agreement] = await rows(
    'dataverse',
    `msdyn_agreements?$select=msdyn_name&$expand=msdyn_msdyn_agreement_msdyn_agreementinvoicedate_Agreement($select=msdyn_invoicedate)`,
  );
  expect(agreement.msdyn_name).toBe('AGR-00001');
  expect(agreement.msdyn_msdyn_agreement_msdyn_agreementinvoicedate_Agreement).toHaveLength(3);
});

test('five work orders in different system statuses, with product and service lines estimated, used, allocated or not', async () => {
  const workOrders = await rows(
    'dataverse',
    `msdyn_workorders?$select=msdyn_name,msdyn_systemstatus&$orderby=msdyn_name` +
      `&$expand=msdyn_msdyn_workorder_msdyn_workorderproduct_WorkOrder($select=msdyn_linestatus,msdyn_allocated),` +
      `msdyn_msdyn_workorder_msdyn_workorderservice_WorkOrder($select=msdyn_linestatus)`,
  );
  expect(workOrders.map((row) => row.msdyn_name)).toEqual([
    'WO-00001',
    'WO-00002',
    'WO-00003',
    'WO-00004',
    'WO-00005',
  ]);
  expect(new Set(workOrders.map((row) => row.msdyn_systemstatus)).size).toBe(5);
  const products = workOrders.flatMap(
    (row) => row.msdyn_msdyn_workorder_msdyn_workorderproduct_WorkOrder as Row[],
  );
  const services = workOrders.flatMap(
    (row) => row.msdyn_msdyn_workorder_msdyn_workorderservice_WorkOrder as Row[],
  );
  expect(
    workOrders.every(
      (row) => (row.msdyn_msdyn_workorder_msdyn_workorderproduct_WorkOrder as Row[]).length > 0,
    ),
  ).toBe(true);
  expect(
    workOrders.every(
      (row) => (row.msdyn_msdyn_workorder_msdyn_workorderservice_WorkOrder as Row[]).length > 0,
    ),
  ).toBe(true);
  expect(new Set(products.map((line) => line.msdyn_linestatus))).toEqual(new Set([estimated, used]));
  expect(new Set(services.map((line) => line.msdyn_linestatus))).toEqual(new Set([estimated, used]));
  expect(new Set(products.map((line) => line.msdyn_allocated))).toEqual(new Set([true, false]));
  // Unchanged since seeded in the past: a watcher reading by change time takes none for a fresh change.
  const stamps = await rows('dataverse', 'msdyn_workorders?$select=createdon,modifiedon');
  expect(stamps.filter((row) => row.modifiedon !== row.createdon)).toEqual([]);
});

test('F&O holds the same customers, released products of each Field Service type and warehouses', async () => {
  expect(
    column(
      await rows('finance', 'CustomersV3?cross-company=true&$select=CustomerAccount'),
      'CustomerAccount',
    ),
  ).toEqual(expect.arrayContaining(['RT-001', 'US-001', 'US-002', 'US-003']));
  const types = column(
    await rows('finance', 'ReleasedProductsV2?$select=FieldServiceProductType'),
    'FieldServiceProductType',
  );
  expect(new Set(types)).toEqual(new Set(['Inventory', 'NonInventory', 'Service']));
  expect(
    column(await rows('finance', 'Warehouses?cross-company=true&$select=WarehouseId'), 'WarehouseId'),
  ).toEqual(['11', '13', '61']);
});

test('the Dataverse control API empties and re-seeds Field Service', async () => {
  try {
    expect((await client.control('dataverse', 'reset', { method: 'POST' })).status).toBe(204);
    expect(await rows('dataverse', 'msdyn_workorders?$select=msdyn_name')).toEqual([]);
    expect(await rows('dataverse', 'accounts?$select=name')).toEqual([]);
  } finally {
    const seeded = await client.control('dataverse', 'seed', { method: 'POST' });
    expect(seeded.status).toBe(200);
    expect(await seeded.json()).toMatchObject({ tables: { msdyn_workorders: 5 } });
  }
  expect(await rows('dataverse', 'msdyn_workorders?$select=msdyn_name')).toHaveLength(5);
});
