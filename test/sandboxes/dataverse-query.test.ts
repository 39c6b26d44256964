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

async function names(query: string): Promise<string[]> {
  const response = await client.dataverse(`accounts?$select=name&${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as Collection).value.map((row) => String(row.name));
}

test('paging with odata.maxpagesize follows an opaque absolute nextLink across three pages', async () => {
  for (let i = 0; i < 7; i++) {
    const created = await client.dataverse('accounts', {
      method: 'POST',
      ...json({ name: `Paging ${i}`, accountnumber: `PG-${i}` }),
    });
    expect(created.status).toBe(204);
  }
  const seen: string[] = [];
  let url: string | undefined =
    `accounts?$select=accountnumber&$filter=startswith(accountnumber,'PG-')&$orderby=accountnumber desc`;
  let pages = 0;
  while (url) {
    const response = await client.dataverse(url, { headers: { Prefer: 'odata.maxpagesize=3' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('preference-applied')).toBe('odata.maxpagesize=3');
    const body = (await response.json()) as Collection;
    seen.push(...body.value.map((row) => String(row.accountnumber)));
    url = body['@odata.nextLink'];
    if (url) {
      expect(url.startsWith(`${client.sandboxes.urls.dataverse}/api/data/v9.2/accounts?`)).toBe(true);
      expect(url).toMatch(/\?\$select=accountnumber&.*&\$skiptoken=%3Ccookie%20pagenumber%3D%22\d%22/);
      expect(new URL(url).searchParams.get('$skiptoken')).toMatch(/^<cookie pagenumber="\d+" pagingcookie=/);
    }
    pages++;
  }
  expect(pages).toBe(3);
  expect(seen).toEqual(['PG-6', 'PG-5', 'PG-4', 'PG-3', 'PG-2', 'PG-1', 'PG-0']);
});

test('$filter handles comparisons, and/or/not, parentheses, functions, null and doubled quotes', async () => {
  await client.dataverse('accounts', {
    method: 'POST',
    ...json({ name: "O'Brien Plumbing", accountnumber: 'OB-1', creditlimit: 5000 }),
  });
  expect(await names(`$filter=name eq 'O''Brien Plumbing'`)).toEqual(["O'Brien Plumbing"]);
  expect(await names(`$filter=contains(name,'brien') and creditlimit ge 5000`)).toEqual(["O'Brien Plumbing"]);
  expect(
    await names(
      `$filter=(accountnumber eq 'US-001' or accountnumber eq 'US-002') and not endswith(name,'Electronics')`,
    ),
  ).toEqual(['Contoso Retail San Diego']);
  expect(await names(`$filter=creditlimit ne null`)).toEqual(["O'Brien Plumbing"]);
  const contoso = (await (
    await client.dataverse(`accounts(accountnumber='US-001')?$select=accountid`)
  ).json()) as { accountid: string };
  expect(await names(`$filter=accountid eq ${contoso.accountid}`)).toEqual(['Contoso Retail San Diego']);
});

test('$orderby, $top and $count', async () => {
  const response = await client.dataverse(
    `accounts?$select=name&$filter=startswith(accountnumber,'US-')&$orderby=name desc&$top=2&$count=true`,
  );
  const body = (await response.json()) as Collection;
  expect(body['@odata.count']).toBe(3);
  expect(body.value.map((row) => row.name)).toEqual(['Fabrikam Electronics', 'Contoso Retail San Diego']);
});

test('a malformed or ill-typed $filter and an unknown column are 400 with the Dataverse envelope', async () => {
  for (const filter of [
    `name eqq 'x'`,
    `name eq 'open`,
    `(name eq 'x'`,
    `accountid eq 'not-a-guid'`,
    `nosuchcolumn eq 1`,
  ]) {
    const response = await client.dataverse(`accounts?$filter=${encodeURIComponent(filter)}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('0x80060888');
    expect(body.error.message.length).toBeGreaterThan(10);
  }
  const select = await client.dataverse('accounts?$select=nosuchcolumn');
  expect(select.status).toBe(400);
  const skip = await client.dataverse('accounts?$skip=2');
  expect(skip.status).toBe(400);
  const twice = await client.dataverse('accounts?$top=1&$top=2');
  expect(twice.status).toBe(400);
  expect(await twice.json()).toEqual({
    error: {
      code: '0x80060888',
      message: "Query option '$top' was specified more than once, but it must be specified at most once.",
    },
  });
});

test('retrieve by id and by alternate key; unknown ones are 404', async () => {
  const byKey = await client.dataverse(
    `msdyn_workorders(msdyn_name='WO-00003')?$select=msdyn_name,msdyn_systemstatus`,
  );
  expect(byKey.status).toBe(200);
  const workOrder = (await byKey.json()) as Record<string, unknown>;
  expect(workOrder['@odata.context']).toMatch(
    /\$metadata#msdyn_workorders\(msdyn_name,msdyn_systemstatus\)\/\$entity$/,
  );
  expect(workOrder['@odata.etag']).toMatch(/^W\/"\d+"$/);
  const byId = await client.dataverse(
    `msdyn_workorders(${String(workOrder.msdyn_workorderid)})?$select=msdyn_name`,
  );
  expect(((await byId.json()) as Record<string, unknown>).msdyn_name).toBe('WO-00003');
  const product = await client.dataverse(
    `products(productnumber='S-3000')?$select=name,msdyn_fieldserviceproducttype`,
  );
  expect(await product.json()).toMatchObject({
    name: 'Labor, standard hour',
    msdyn_fieldserviceproducttype: 690970002,
  });

  const missingKey = await client.dataverse(`accounts(accountnumber='NOPE')`);
  expect(missingKey.status).toBe(404);
  expect(((await missingKey.json()) as { error: { code: string } }).error.code).toBe('0x80040217');
  const missingId = await client.dataverse(`accounts(00000000-0000-0000-0000-000000000001)`);
  expect(missingId.status).toBe(404);
  const notAKey = await client.dataverse(`accounts(name='x')`);
  expect(notAKey.status).toBe(400);
  const root = (await (await client.dataverse('')).json()) as Collection;
  expect(root.value).toContainEqual({ name: 'msdyn_workorders', kind: 'EntitySet', url: 'msdyn_workorders' });
  const whoAmI = await client.dataverse('WhoAmI');
  expect(await whoAmI.json()).toMatchObject({ UserId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  const unknownSet = await client.dataverse('account');
  expect(unknownSet.status).toBe(404);
  expect(await unknownSet.json()).toEqual({
    error: { code: '0x80060888', message: "Resource not found for the segment 'account'." },
  });
});

test('$expand of a lookup and of the work order line collections, and lookup paths in $filter', async () => {
  const response = await client.dataverse(
    `msdyn_workorders?$select=msdyn_name&$filter=msdyn_serviceaccount/accountnumber eq 'US-003'` +
      `&$expand=msdyn_serviceaccount($select=accountnumber),` +
      `msdyn_msdyn_workorder_msdyn_workorderproduct_WorkOrder($select=msdyn_name,msdyn_quantity;$orderby=msdyn_lineorder),` +
      `msdyn_msdyn_workorder_msdyn_workorderservice_WorkOrder($select=msdyn_duration)`,
  );
  expect(response.status).toBe(200);
  const [workOrder] = ((await response.json()) as Collection).value;
  expect(workOrder.msdyn_name).toBe('WO-00003');
  expect(workOrder.msdyn_serviceaccount).toMatchObject({ accountnumber: 'US-003' });
  expect(workOrder.msdyn_msdyn_workorder_msdyn_workorderproduct_WorkOrder).toEqual([
    expect.objectContaining({ msdyn_name: 'Air filter', msdyn_quantity: 3 }),
    expect.objectContaining({ msdyn_name: 'Cleaning kit', msdyn_quantity: 0 }),
  ]);
  expect(workOrder.msdyn_msdyn_workorder_msdyn_workorderservice_WorkOrder).toEqual([
    expect.objectContaining({ msdyn_duration: 90 }),
  ]);
});

test('a work order line collection can be read as a path segment, with query options', async () => {
  const workOrder = (await (
    await client.dataverse(`msdyn_workorders(msdyn_name='WO-00003')?$select=msdyn_workorderid`)
  ).json()) as {
    msdyn_workorderid: string;
  };
  const response = await client.dataverse(
    `msdyn_workorders(${workOrder.msdyn_workorderid})/msdyn_msdyn_workorder_msdyn_workorderproduct_WorkOrder?$select=msdyn_name&$filter=msdyn_linestatus eq 690970000`,
  );
  expect(response.status).toBe(200);
  expect(((await response.json()) as Collection).value.map((row) => row.msdyn_name)).toEqual([
    'Cleaning kit',
  ]);
  const single = await client.dataverse(`msdyn_workorders(${workOrder.msdyn_workorderid})/msdyn_name`);
  expect(await single.json()).toMatchObject({ value: 'WO-00003' });
});

test('formatted values for choices, booleans, money and lookups come with odata.include-annotations', async () => {
  const response = await client.dataverse(
    `msdyn_workorderproducts?$select=msdyn_linestatus,msdyn_allocated,msdyn_unitamount,_msdyn_product_value&$filter=msdyn_name eq 'Compressor' and msdyn_linestatus eq 690970001`,
    { headers: { Prefer: 'odata.include-annotations="*"' } },
  );
  expect(response.headers.get('preference-applied')).toBe('odata.include-annotations="*"');
  const [line] = ((await response.json()) as Collection).value;
  expect(line).toMatchObject({
    'msdyn_linestatus@OData.Community.Display.V1.FormattedValue': 'Used',
    'msdyn_allocated@OData.Community.Display.V1.FormattedValue': 'Yes',
    'msdyn_unitamount@OData.Community.Display.V1.FormattedValue': '$1,250.00',
    '_msdyn_product_value@OData.Community.Display.V1.FormattedValue': 'Compressor',
    '_msdyn_product_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'product',
    '_msdyn_product_value@Microsoft.Dynamics.CRM.associatednavigationproperty': 'msdyn_product',
  });
  const plain = await client.dataverse(`msdyn_workorderproducts?$select=msdyn_linestatus&$top=1`);
  const [plainLine] = ((await plain.json()) as Collection).value;
  expect(Object.keys(plainLine).some((key) => key.includes('FormattedValue'))).toBe(false);
});
