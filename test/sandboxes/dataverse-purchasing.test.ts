import { json, startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

async function create(entitySet: string, body: Record<string, unknown>): Promise<Response> {
  return client.dataverse(entitySet, { method: 'POST', ...json(body) });
}

test('seeded vendors are Field Service accounts of type Vendor', async () => {
  const response = await client.dataverse(
    'accounts?$filter=customertypecode eq 11&$select=accountnumber,name&$orderby=accountnumber',
  );
  const { value } = (await response.json()) as { value: { accountnumber: string }[] };
  expect(value.map((account) => account.accountnumber)).toEqual(['V-1000', 'V-2000']);
});

test('a purchase order with lines, statuses and its receipt keyed by F&O RecordId; a receipt without one is refused', async () => {
  const order = await create('msdyn_purchaseorders', {
    msdyn_name: 'PO-DV1',
    msdyn_systemstatus: 690970001,
    'msdyn_vendor@odata.bind': "/accounts(accountnumber='V-1000')",
    'msdyn_receivetowarehouse@odata.bind': "/msdyn_warehouses(msdyn_name='11')",
  });
  expect(order.status).toBe(204);
  const line = await create('msdyn_purchaseorderproducts', {
    msdyn_name: 'PO-DV1-1',
    msdyn_lineorder: 1,
    msdyn_quantity: 3,
    msdyn_itemstatus: 690970000,
    'msdyn_purchaseorder@odata.bind': "/msdyn_purchaseorders(msdyn_name='PO-DV1')",
    'msdyn_product@odata.bind': "/products(productnumber='P-1000')",
  });
  expect(line.status).toBe(204);
  const badStatus = await client.dataverse("msdyn_purchaseorders(msdyn_name='PO-DV1')", {
    method: 'PATCH',
    ...json({ msdyn_approvalstatus: 5 }),
  });
  expect(badStatus.status).toBe(400);

  const refused = await create('msdyn_purchaseorderreceipts', {
    msdyn_name: 'Typed by a technician',
    'msdyn_purchaseorder@odata.bind': "/msdyn_purchaseorders(msdyn_name='PO-DV1')",
  });
  expect(refused.status).toBe(400);
  expect(await refused.text()).toContain('cannot be created in Field Service');

  const receipt = await client.dataverse('msdyn_purchaseorderreceipts(msdyn_recordid=5637150001)', {
    method: 'PATCH',
    ...json({
      msdyn_name: 'PR-000001',
      'msdyn_purchaseorder@odata.bind': "/msdyn_purchaseorders(msdyn_name='PO-DV1')",
    }),
  });
  expect(receipt.status).toBe(204);
  const found = await client.dataverse(
    "msdyn_purchaseorderreceipts?$filter=msdyn_purchaseorder/msdyn_name eq 'PO-DV1'&$select=msdyn_name,msdyn_recordid",
  );
  expect(((await found.json()) as { value: unknown[] }).value).toEqual([
    expect.objectContaining({ msdyn_name: 'PR-000001', msdyn_recordid: 5637150001 }),
  ]);
});
