import { json, startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

interface Collection {
  value: Record<string, unknown>[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

async function collection(path: string, init?: RequestInit): Promise<Collection> {
  const response = await client.finance(path, init);
  expect(response.status).toBe(200);
  return (await response.json()) as Collection;
}

test('the default company only, unless cross-company=true', async () => {
  const usmf = await collection('CustomersV3?$select=CustomerAccount,dataAreaId');
  expect(new Set(usmf.value.map((row) => row.dataAreaId))).toEqual(new Set(['usmf']));
  const all = await collection('CustomersV3?cross-company=true&$select=CustomerAccount,dataAreaId');
  expect(all.value.map((row) => row.CustomerAccount)).toContain('RT-001');
  const usrt = await collection(
    `CustomersV3?cross-company=true&$filter=dataAreaId eq 'usrt'&$select=CustomerAccount`,
  );
  expect(usrt.value).toEqual([expect.objectContaining({ CustomerAccount: 'RT-001' })]);

  const otherCompany = `CustomersV3(dataAreaId='usrt',CustomerAccount='RT-001')`;
  expect((await client.finance(otherCompany)).status).toBe(404);
  expect((await client.finance(`${otherCompany}?cross-company=true`)).status).toBe(200);
});

test("the default company is the integration user's, configurable at start", async () => {
  const retail = await startSandboxClient({ seed: true, financeDefaultCompany: 'usrt' });
  try {
    const response = await retail.finance('CustomersV3?$select=CustomerAccount');
    expect(((await response.json()) as Collection).value).toEqual([
      expect.objectContaining({ CustomerAccount: 'RT-001' }),
    ]);
    const created = await retail.finance('Warehouses', { method: 'POST', ...json({ WarehouseId: 'RT2' }) });
    expect(await created.json()).toMatchObject({ dataAreaId: 'usrt' });
  } finally {
    await retail.close();
  }
});

test('records carry a base64 weak ETag and enums as member names; composite keys address one record', async () => {
  const response = await client.finance(`ReleasedProductsV2(dataAreaId='usmf',ItemNumber='S-3000')`);
  expect(response.status).toBe(200);
  const product = (await response.json()) as Record<string, unknown>;
  expect(product['@odata.etag']).toMatch(/^W\/"[A-Za-z0-9+/=]+"$/);
  expect(product).toMatchObject({
    dataAreaId: 'usmf',
    ProductType: 'Service',
    FieldServiceProductType: 'Service',
  });
  const partialKey = await client.finance(`ReleasedProductsV2(ItemNumber='S-3000')`);
  expect(partialKey.status).toBe(400);
  const root = (await (await client.finance('')).json()) as Collection;
  expect(root.value).toContainEqual({
    name: 'CDSSalesOrderLines',
    kind: 'EntitySet',
    url: 'CDSSalesOrderLines',
  });
  const unknownEntity = await client.finance('CustomersV9');
  expect(unknownEntity.status).toBe(404);
  expect(await unknownEntity.json()).toMatchObject({
    error: { code: '', message: expect.stringMatching(/^No HTTP resource was found/) },
  });
});

test('enum filter literals; in and has are rejected; a malformed $filter is 400', async () => {
  const services = await collection(
    `SellableReleasedProducts?$filter=FieldServiceProductType eq Microsoft.Dynamics.DataEntities.EcoResFieldServiceProductType'Service'&$select=ProductNumber`,
  );
  expect(services.value.map((row) => row.ProductNumber).sort()).toEqual(['S-3000', 'S-3001']);
  const notInventory = await collection(
    `SellableReleasedProducts?$filter=FieldServiceProductType ne Microsoft.Dynamics.DataEntities.EcoResFieldServiceProductType'Inventory' and ProductNumber eq 'P-*'&$select=ProductNumber`,
  );
  expect(notInventory.value.map((row) => row.ProductNumber)).toEqual(['P-2000']);

  for (const filter of [
    `ProductNumber in ('P-1000','P-1001')`,
    `FieldServiceProductType has Microsoft.Dynamics.DataEntities.EcoResFieldServiceProductType'Service'`,
    `FieldServiceProductType eq Microsoft.Dynamics.DataEntities.NoYes'Yes'`,
    `FieldServiceProductType eq Microsoft.Dynamics.DataEntities.EcoResFieldServiceProductType'Gadget'`,
    `FieldServiceProductType gt Microsoft.Dynamics.DataEntities.EcoResFieldServiceProductType'Service'`,
    `ProductNumber eq 'P-1000' and`,
    `SalesPrice eq '45'`,
  ]) {
    const response = await client.finance(`SellableReleasedProducts?$filter=${encodeURIComponent(filter)}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; message: string; innererror: { type: string } };
    };
    expect(body.error.code).toBe('');
    expect(body.error.message).toMatch(/^The query specified in the URI is not valid\./);
    expect(body.error.innererror.type).toBe('Microsoft.OData.ODataException');
  }
  const twice = await client.finance(`CustomersV3?$top=1&$top=2`);
  expect(twice.status).toBe(400);
  expect(((await twice.json()) as { error: { message: string } }).error.message).toMatch(
    /Query option '\$top' was specified more than once/,
  );
});

test('server-driven paging with @odata.nextLink across three pages, plus $count, $orderby, $top', async () => {
  for (let i = 0; i < 6; i++) {
    const created = await client.finance('Warehouses', {
      method: 'POST',
      ...json({ WarehouseId: `PG${i}`, WarehouseName: `Paging ${i}` }),
    });
    expect(created.status).toBe(201);
  }
  await client.control('finance', 'paging', { method: 'PUT', ...json({ pageSize: 3 }) });
  try {
    const ids: unknown[] = [];
    let url: string | undefined =
      `Warehouses?$filter=startswith(WarehouseId,'PG')&$orderby=WarehouseId desc&$count=true`;
    let pages = 0;
    while (url) {
      const page = await collection(url);
      if (pages === 0) expect(page['@odata.count']).toBe(6);
      ids.push(...page.value.map((row) => row.WarehouseId));
      url = page['@odata.nextLink'];
      pages++;
    }
    expect(pages).toBe(2);
    expect(ids).toEqual(['PG5', 'PG4', 'PG3', 'PG2', 'PG1', 'PG0']);

    await client.control('finance', 'paging', { method: 'PUT', ...json({ pageSize: 2 }) });
    const topped: unknown[] = [];
    url = `Warehouses?$filter=startswith(WarehouseId,'PG')&$orderby=WarehouseId&$top=5`;
    pages = 0;
    while (url) {
      const page = await collection(url);
      topped.push(...page.value.map((row) => row.WarehouseId));
      url = page['@odata.nextLink'];
      if (url)
        expect(url).toMatch(
          new RegExp(`^${client.sandboxes.urls.finance}/data/Warehouses\\?.*\\$skip=\\d+&\\$top=\\d+$`),
        );
      pages++;
    }
    expect(pages).toBe(3);
    expect(topped).toEqual(['PG0', 'PG1', 'PG2', 'PG3', 'PG4']);
  } finally {
    await client.control('finance', 'paging', { method: 'PUT', ...json({ pageSize: 10000 }) });
  }
});

test('/$count answers the number of rows $filter selects, in the default company or across companies, as text', async () => {
  for (const [id, name] of [
    ['CT1', 'Count north'],
    ['CT2', 'Count south'],
    ['CT3', 'Other'],
  ]) {
    await client.finance('Warehouses', { method: 'POST', ...json({ WarehouseId: id, WarehouseName: name }) });
  }
  const count = async (path: string) => {
    const response = await client.finance(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    return response.text();
  };
  expect(await count(`Warehouses/$count?$filter=startswith(WarehouseId,'CT')`)).toBe('3');
  expect(await count(`Warehouses/$count?$filter=startswith(WarehouseName,'Count')`)).toBe('2');
  expect(await count(`CustomersV3/$count?$filter=CustomerAccount eq 'RT-001'`)).toBe('0');
  expect(await count(`CustomersV3/$count?$filter=CustomerAccount eq 'RT-001'&cross-company=true`)).toBe('1');
  const bad = await client.finance(`Warehouses/$count?$filter=NoSuchField eq 1`);
  expect(bad.status).toBe(400);
});

test('on-hand and posted invoices are read-only entities', async () => {
  const onHand = await collection(
    `WarehousesOnHandV2?$filter=ItemNumber eq 'P-1000' and InventoryWarehouseId eq '11'`,
  );
  expect(onHand.value[0]).toMatchObject({ ItemNumber: 'P-1000', InventorySiteId: '1' });
  const write = await client.finance('WarehousesOnHandV2', {
    method: 'POST',
    ...json({ ItemNumber: 'P-1000' }),
  });
  expect(write.status).toBe(405);
  expect((await client.finance('SalesInvoiceHeadersV2', { method: 'POST', ...json({}) })).status).toBe(405);
});
