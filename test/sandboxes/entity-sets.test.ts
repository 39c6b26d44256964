import { startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

const dataverseTables = [
  'accounts',
  'products',
  'uoms',
  'transactioncurrencies',
  'msdyn_workorders',
  'msdyn_workorderproducts',
  'msdyn_workorderservices',
  'msdyn_agreements',
  'msdyn_agreementinvoicedates',
  'msdyn_agreementinvoiceproducts',
  'invoices',
  'invoicedetails',
  'msdyn_warehouses',
  'msdyn_inventoryjournals',
  'msdyn_inventoryadjustments',
  'msdyn_inventoryadjustmentproducts',
  'msdyn_inventorytransfers',
  'msdyn_purchaseorders',
  'msdyn_purchaseorderproducts',
  'msdyn_purchaseorderreceipts',
  'msdyn_purchaseorderreceiptproducts',
];

const financeEntitySets = [
  'CustomersV3',
  'SellableReleasedProducts',
  'ReleasedProductsV2',
  'CDSSalesOrderHeaders',
  'CDSSalesOrderLines',
  'SalesOrderHeadersV2',
  'SalesInvoiceHeadersV2',
  'SalesInvoiceLines',
  'CDSFreeTextInvoiceHeaders',
  'CDSFreeTextInvoiceLines',
  'Warehouses',
  'WarehousesOnHandV2',
  'InventoryAdjustmentJournalHeaders',
  'InventoryAdjustmentJournalEntriesV2',
  'InventoryTransferJournalHeaders',
  'InventoryTransferJournalEntries',
  'VendorsV2',
  'PurchaseOrderHeadersV2',
  'CDSPurchaseOrderLines',
  'ProductReceiptHeaders',
  'ProductReceiptLines',
  'LegalEntities',
];

async function entitySetNames(response: Response): Promise<string[]> {
  expect(response.status).toBe(200);
  return ((await response.json()) as { value: { name: string }[] }).value.map((set) => set.name);
}

test('Dataverse serves every table the integration uses, each record with an @odata.etag', async () => {
  expect(await entitySetNames(await client.dataverse(''))).toEqual(expect.arrayContaining(dataverseTables));
  for (const table of dataverseTables) {
    const response = await client.dataverse(`${table}?$top=1`);
    expect({ table, status: response.status }).toEqual({ table, status: 200 });
    const { value } = (await response.json()) as { value: Record<string, unknown>[] };
    for (const row of value) expect(row['@odata.etag']).toMatch(/^W\/"\d+"$/);
  }
});

test('F&O serves every entity set the integration uses', async () => {
  expect(await entitySetNames(await client.finance(''))).toEqual(expect.arrayContaining(financeEntitySets));
  for (const entitySet of financeEntitySets) {
    const response = await client.finance(`${entitySet}?cross-company=true&$top=1`);
    expect({ entitySet, status: response.status }).toEqual({ entitySet, status: 200 });
  }
  const vendors = await client.finance(`VendorsV2?$select=VendorAccountNumber`);
  expect(((await vendors.json()) as { value: unknown[] }).value).toEqual(
    expect.arrayContaining([{ '@odata.etag': expect.any(String), VendorAccountNumber: 'V-1000' }]),
  );
});

test('F&O lists its legal entities, shared by every company: the same rows with or without cross-company', async () => {
  const expected = [
    { LegalEntityId: 'DEMF', Name: 'Contoso Entertainment System Germany' },
    { LegalEntityId: 'USMF', Name: 'Contoso Entertainment System USA' },
    { LegalEntityId: 'USRT', Name: 'Contoso Retail USA' },
  ];
  for (const query of [
    'LegalEntities?$select=LegalEntityId,Name',
    'LegalEntities?cross-company=true&$select=LegalEntityId,Name',
  ]) {
    const response = await client.finance(query);
    expect(response.status).toBe(200);
    const { value } = (await response.json()) as { value: Record<string, unknown>[] };
    expect(value.map(({ LegalEntityId, Name }) => ({ LegalEntityId, Name }))).toEqual(expected);
  }
  expect(
    (await client.finance(`LegalEntities`, { method: 'POST', body: '{"LegalEntityId":"NEW"}' })).status,
  ).toBe(405);
});
