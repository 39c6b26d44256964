import { json, startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

type Body = Record<string, unknown>;

async function read(path: string): Promise<Body> {
  const response = await client.dataverse(path);
  expect(response.status).toBe(200);
  return (await response.json()) as Body;
}

test('create answers 204 with OData-EntityId, or 201 with the record under return=representation', async () => {
  const plain = await client.dataverse('accounts', {
    method: 'POST',
    ...json({ name: 'Plain', accountnumber: 'CR-1' }),
  });
  expect(plain.status).toBe(204);
  const entityId = plain.headers.get('odata-entityid') ?? '';
  expect(entityId).toMatch(/\/api\/data\/v9\.2\/accounts\([0-9a-f-]{36}\)$/);
  expect((await read(`${entityId}?$select=name`)).name).toBe('Plain');

  const represented = await client.dataverse('accounts?$select=name,accountnumber', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' },
    body: JSON.stringify({ name: 'Represented', accountnumber: 'CR-2' }),
  });
  expect(represented.status).toBe(201);
  expect(represented.headers.get('preference-applied')).toBe('return=representation');
  expect(await represented.json()).toMatchObject({
    name: 'Represented',
    accountnumber: 'CR-2',
    '@odata.etag': expect.stringMatching(/^W\//),
  });

  const duplicate = await client.dataverse('accounts', {
    method: 'POST',
    ...json({ name: 'Again', accountnumber: 'CR-2' }),
  });
  expect(duplicate.status).toBe(412);
});

test('date-times are stored and returned in UTC', async () => {
  const created = await client.dataverse('msdyn_workorders?$select=msdyn_datewindowstart', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' },
    body: JSON.stringify({ msdyn_name: 'WO-TZ', msdyn_datewindowstart: '2026-03-01T09:30:00.000+02:00' }),
  });
  expect(await created.json()).toMatchObject({ msdyn_datewindowstart: '2026-03-01T07:30:00Z' });
  const found = await read(
    `msdyn_workorders?$select=msdyn_name&$filter=msdyn_datewindowstart lt 2026-03-01T08:00:00Z and msdyn_name eq 'WO-TZ'`,
  );
  expect(found.value).toHaveLength(1);
});

test('createdon and modifiedon are stamped to the second; a pinned clock stamps every write with its second', async () => {
  const stamps = async (name: string) => {
    const row = await read(`msdyn_workorders?$select=createdon,modifiedon&$filter=msdyn_name eq '${name}'`);
    return (row.value as Body[])[0] as { createdon: string; modifiedon: string };
  };
  const create = (name: string) =>
    client.dataverse('msdyn_workorders', { method: 'POST', ...json({ msdyn_name: name }) });

  await create('WO-STAMP-1');
  const real = await stamps('WO-STAMP-1');
  expect(real.createdon).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  expect(real.modifiedon).toBe(real.createdon);

  const pin = (pinnedAt: string | null) =>
    client.control('dataverse', 'clock', { method: 'PUT', ...json({ pinnedAt }) });
  expect(await (await pin('2026-07-01T10:00:00.750Z')).json()).toEqual({ pinnedAt: '2026-07-01T10:00:00Z' });
  try {
    await create('WO-STAMP-2');
    const patched = await client.dataverse(`msdyn_workorders?$filter=msdyn_name eq 'WO-STAMP-1'`);
    const id = String(((await patched.json()) as { value: Body[] }).value[0]!.msdyn_workorderid);
    expect(
      (
        await client.dataverse(`msdyn_workorders(${id})`, {
          method: 'PATCH',
          ...json({ msdyn_address1: 'x' }),
        })
      ).status,
    ).toBe(204);
    expect(await stamps('WO-STAMP-2')).toMatchObject({
      createdon: '2026-07-01T10:00:00Z',
      modifiedon: '2026-07-01T10:00:00Z',
    });
    expect(await stamps('WO-STAMP-1')).toMatchObject({
      createdon: real.createdon,
      modifiedon: '2026-07-01T10:00:00Z',
    });
  } finally {
    await pin(null);
  }
  expect(await (await client.control('dataverse', 'clock')).json()).toEqual({ pinnedAt: null });
  expect((await pin('yesterday')).status).toBe(400);
});

test('bad bodies get the documented 400s, never a crash', async () => {
  const badJson = await client.dataverse('accounts', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{"name":',
  });
  expect(badJson.status).toBe(400);
  expect(((await badJson.json()) as { error: { code: string } }).error.code).toBe('0x80048d19');
  const unknownColumn = await client.dataverse('accounts', { method: 'POST', ...json({ nme: 'typo' }) });
  expect(unknownColumn.status).toBe(400);
  expect(((await unknownColumn.json()) as { error: { message: string } }).error.message).toMatch(
    /'nme' does not exist/,
  );
  const wrongType = await client.dataverse('accounts', { method: 'POST', ...json({ name: 42 }) });
  expect(wrongType.status).toBe(400);
  const badChoice = await client.dataverse('msdyn_workorders', {
    method: 'POST',
    ...json({ msdyn_name: 'WO-BAD', msdyn_systemstatus: 5 }),
  });
  expect(badChoice.status).toBe(400);
  expect(((await badChoice.json()) as { error: { message: string } }).error.message).toMatch(
    /outside the valid range/,
  );
  const badUrl = await client.dataverse('accounts(%zz)');
  expect(badUrl.status).toBe(400);
});

test('errors carry the CDS error annotations when odata.include-annotations asks for them', async () => {
  const annotated = await client.dataverse('accounts', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Prefer: 'odata.include-annotations="*"' },
    body: JSON.stringify({ nme: 'typo' }),
  });
  const body = (await annotated.json()) as { error: Record<string, string> };
  expect(body.error).toMatchObject({
    code: '0x80048d19',
    '@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus': '0',
    '@Microsoft.PowerApps.CDS.HelpLink': expect.stringContaining('CrmException%3a80048d19'),
    '@Microsoft.PowerApps.CDS.InnerError.Message': body.error.message,
  });
  const plain = await client.dataverse('accounts', { method: 'POST', ...json({ nme: 'typo' }) });
  expect(Object.keys(((await plain.json()) as { error: object }).error)).toEqual(['code', 'message']);
});

test('PATCH upserts by alternate key: 201 on create, 200 on update, with ETag', async () => {
  const headers = { 'Content-Type': 'application/json', Prefer: 'return=representation' };
  const created = await client.dataverse(`accounts(accountnumber='UP-1')`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({ name: 'Upserted' }),
  });
  expect(created.status).toBe(201);
  expect(await created.json()).toMatchObject({ accountnumber: 'UP-1', name: 'Upserted' });
  const updated = await client.dataverse(`accounts(accountnumber='UP-1')`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({ name: 'Renamed' }),
  });
  expect(updated.status).toBe(200);
  expect(updated.headers.get('etag')).toMatch(/^W\/"\d+"$/);
  expect(await updated.json()).toMatchObject({ name: 'Renamed' });
  const minimal = await client.dataverse(`accounts(accountnumber='UP-1')`, {
    method: 'PATCH',
    ...json({ telephone1: '555' }),
  });
  expect(minimal.status).toBe(204);
  expect(minimal.headers.get('odata-entityid')).toMatch(/accounts\(/);
});

test('If-Match: a stale ETag is 412, the current one succeeds, and the ETag changes on every write', async () => {
  const before = await read(`accounts(accountnumber='US-002')?$select=name`);
  const etag = String(before['@odata.etag']);
  const ok = await client.dataverse(`accounts(accountnumber='US-002')`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'If-Match': etag },
    body: JSON.stringify({ telephone1: '+1 206 555 0100' }),
  });
  expect(ok.status).toBe(204);
  const after = await read(`accounts(accountnumber='US-002')?$select=name`);
  expect(after['@odata.etag']).not.toBe(etag);
  const stale = await client.dataverse(`accounts(accountnumber='US-002')`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'If-Match': etag },
    body: JSON.stringify({ telephone1: 'lost update' }),
  });
  expect(stale.status).toBe(412);
  expect(await stale.json()).toEqual({
    error: {
      code: '0x80060882',
      message: "The version of the existing record doesn't match the RowVersion property provided.",
    },
  });
  const staleDelete = await client.dataverse(`accounts(accountnumber='US-002')`, {
    method: 'DELETE',
    headers: { 'If-Match': etag },
  });
  expect(staleDelete.status).toBe(412);
});

test('a conditional GET with the current ETag is 304 Not Modified', async () => {
  const etag = String((await read(`accounts(accountnumber='US-003')?$select=name`))['@odata.etag']);
  const unchanged = await client.dataverse(`accounts(accountnumber='US-003')?$select=name`, {
    headers: { 'If-None-Match': etag },
  });
  expect(unchanged.status).toBe(304);
  const withAnnotations = await client.dataverse(`accounts(accountnumber='US-003')?$select=name`, {
    headers: { 'If-None-Match': etag, Prefer: 'odata.include-annotations="*"' },
  });
  expect(withAnnotations.status).toBe(200);
});

test('If-None-Match: * makes PATCH create-only; If-Match: * makes it update-only', async () => {
  const createOnly = { 'Content-Type': 'application/json', 'If-None-Match': '*' };
  expect(
    (
      await client.dataverse(`accounts(accountnumber='CO-1')`, {
        method: 'PATCH',
        headers: createOnly,
        body: '{"name":"New"}',
      })
    ).status,
  ).toBe(204);
  const exists = await client.dataverse(`accounts(accountnumber='CO-1')`, {
    method: 'PATCH',
    headers: createOnly,
    body: '{"name":"Again"}',
  });
  expect(exists.status).toBe(412);
  const updateOnly = { 'Content-Type': 'application/json', 'If-Match': '*' };
  const missing = await client.dataverse(`accounts(accountnumber='UO-1')`, {
    method: 'PATCH',
    headers: updateOnly,
    body: '{"name":"x"}',
  });
  expect(missing.status).toBe(404);
  expect(
    (
      await client.dataverse(`accounts(accountnumber='CO-1')`, {
        method: 'PATCH',
        headers: updateOnly,
        body: '{"name":"Upd"}',
      })
    ).status,
  ).toBe(204);
  expect((await read(`accounts(accountnumber='CO-1')?$select=name`)).name).toBe('Upd');
});

test('@odata.bind sets lookups, read back as _x_value; a bind to a missing row is 404', async () => {
  const account = await read(`accounts(accountnumber='US-001')?$select=accountid`);
  const created = await client.dataverse('msdyn_workorders?$select=msdyn_name,_msdyn_serviceaccount_value', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' },
    body: JSON.stringify({
      msdyn_name: 'WO-BIND',
      msdyn_systemstatus: 690970001,
      'msdyn_serviceaccount@odata.bind': `/accounts(${String(account.accountid)})`,
      'msdyn_billingaccount@odata.bind': `accounts(accountnumber='US-002')`,
    }),
  });
  expect(created.status).toBe(201);
  expect(await created.json()).toMatchObject({ _msdyn_serviceaccount_value: account.accountid });
  const missing = await client.dataverse('msdyn_workorders', {
    method: 'POST',
    ...json({
      msdyn_name: 'WO-NOBIND',
      'msdyn_serviceaccount@odata.bind': '/accounts(00000000-0000-0000-0000-000000000009)',
    }),
  });
  expect(missing.status).toBe(404);
});

test('lines carry the header status and the externally-maintained flag, kept in sync with header and products', async () => {
  const workOrder = await read(
    `msdyn_workorders(msdyn_name='WO-00002')?$select=msdyn_workorderid,msdynce_hasexternallymaintainedproductsonly`,
  );
  expect(workOrder.msdynce_hasexternallymaintainedproductsonly).toBe(true);
  const localProduct = await read(`products(productnumber='P-9000')?$select=productid`);
  const line = await client.dataverse('msdyn_workorderproducts', {
    method: 'POST',
    ...json({
      msdyn_name: 'Sealant',
      msdyn_linestatus: 690970000,
      'msdyn_workorder@odata.bind': `/msdyn_workorders(${String(workOrder.msdyn_workorderid)})`,
      'msdyn_product@odata.bind': `/products(${String(localProduct.productid)})`,
      msdynce_headersystemstatus: 690970005,
    }),
  });
  expect(line.status).toBe(204);
  const lineUrl = line.headers.get('odata-entityid') ?? '';
  expect(
    await read(
      `${lineUrl}?$select=msdynce_headersystemstatus,msdynce_orderhasexternalmaintainedproductsonly`,
    ),
  ).toMatchObject({
    msdynce_headersystemstatus: 690970001,
    msdynce_orderhasexternalmaintainedproductsonly: false,
  });
  expect(
    (await read(`msdyn_workorders(msdyn_name='WO-00002')`)).msdynce_hasexternallymaintainedproductsonly,
  ).toBe(false);

  await client.dataverse(`msdyn_workorders(msdyn_name='WO-00002')`, {
    method: 'PATCH',
    ...json({ msdyn_systemstatus: 690970003 }),
  });
  await client.dataverse(`products(productnumber='P-9000')`, {
    method: 'PATCH',
    ...json({ msdynce_isexternallymaintained: true }),
  });
  expect(
    await read(
      `${lineUrl}?$select=msdynce_headersystemstatus,msdynce_orderhasexternalmaintainedproductsonly`,
    ),
  ).toMatchObject({
    msdynce_headersystemstatus: 690970003,
    msdynce_orderhasexternalmaintainedproductsonly: true,
  });
  const filtered = await read(
    `msdyn_workorderproducts?$select=msdyn_name&$filter=msdynce_headersystemstatus eq 690970003 and msdynce_orderhasexternalmaintainedproductsonly eq true and _msdyn_workorder_value eq ${String(workOrder.msdyn_workorderid)}`,
  );
  expect((filtered.value as Body[]).map((row) => row.msdyn_name).sort()).toEqual(['Compressor', 'Sealant']);
});

test('a product becoming externally maintained updates the work orders using it: flag set, modifiedon moved', async () => {
  const product = await client.dataverse('products', {
    method: 'POST',
    ...json({ productnumber: 'P-LATE-1', name: 'Gasket set', msdynce_isexternallymaintained: false }),
  });
  const productUrl = product.headers.get('odata-entityid') ?? '';
  const workOrder = await client.dataverse('msdyn_workorders', {
    method: 'POST',
    ...json({ msdyn_name: 'WO-LATE-1', msdyn_systemstatus: 690970003 }),
  });
  const workOrderUrl = workOrder.headers.get('odata-entityid') ?? '';
  await client.dataverse('msdyn_workorderproducts', {
    method: 'POST',
    ...json({
      msdyn_name: 'WO-LATE-1-1',
      msdyn_linestatus: 690970001,
      'msdyn_workorder@odata.bind': workOrderUrl.slice(workOrderUrl.indexOf('/msdyn_workorders(')),
      'msdyn_product@odata.bind': productUrl.slice(productUrl.indexOf('/products(')),
    }),
  });
  const select = '?$select=msdynce_hasexternallymaintainedproductsonly,modifiedon';
  expect(await read(`${workOrderUrl}${select}`)).toMatchObject({
    msdynce_hasexternallymaintainedproductsonly: false,
  });

  await client.dataverse(productUrl, { method: 'PATCH', ...json({ msdynce_isexternallymaintained: true }) });
  const changedAt = String((await read(`${productUrl}?$select=modifiedon`)).modifiedon);
  const after = await read(`${workOrderUrl}${select}`);
  expect(after.msdynce_hasexternallymaintainedproductsonly).toBe(true);
  // Updated by the plug-in after the product: a reader by change time sees the work order again.
  expect(Date.parse(String(after.modifiedon))).toBeGreaterThanOrEqual(Date.parse(changedAt));
});

test('a line added, changed or deleted recalculates the work order totals: modifiedon moves with them', async () => {
  const pin = (pinnedAt: string | null) =>
    client.control('dataverse', 'clock', { method: 'PUT', ...json({ pinnedAt }) });
  const workOrder = await client.dataverse('msdyn_workorders', {
    method: 'POST',
    ...json({ msdyn_name: 'WO-TOTALS-1', msdyn_systemstatus: 690970002 }),
  });
  const workOrderUrl = workOrder.headers.get('odata-entityid') ?? '';
  const totals = () =>
    read(
      `${workOrderUrl}?$select=msdyn_subtotalamount,msdyn_totalamount,msdyn_estimatesubtotalamount,modifiedon`,
    );
  const addLine = async (name: string, line: Body) => {
    const created = await client.dataverse('msdyn_workorderproducts', {
      method: 'POST',
      ...json({
        msdyn_name: name,
        'msdyn_workorder@odata.bind': workOrderUrl.slice(workOrderUrl.indexOf('/msdyn_workorders(')),
        ...line,
      }),
    });
    expect(created.status).toBe(204);
    return created.headers.get('odata-entityid') ?? '';
  };
  try {
    await pin('2026-07-02T09:00:00Z');
    const used = {
      msdyn_linestatus: 690970001,
      msdyn_quantity: 2,
      msdyn_unitamount: 40,
      msdyn_discountamount: 5,
    };
    const first = await addLine('WO-TOTALS-1-1', used);
    const second = await addLine('WO-TOTALS-1-2', { ...used, msdyn_quantity: 1, msdyn_discountamount: 0 });
    await addLine('WO-TOTALS-1-3', {
      msdyn_linestatus: 690970000,
      msdyn_estimatequantity: 3,
      msdyn_estimateunitamount: 10,
    });
    expect(await totals()).toMatchObject({
      msdyn_subtotalamount: 115,
      msdyn_totalamount: 115,
      msdyn_estimatesubtotalamount: 30,
      modifiedon: '2026-07-02T09:00:00Z',
    });

    await pin('2026-07-02T09:05:00Z');
    await client.dataverse(first, { method: 'PATCH', ...json({ msdyn_quantity: 3 }) });
    expect(await totals()).toMatchObject({ msdyn_totalamount: 155, modifiedon: '2026-07-02T09:05:00Z' });

    // Deleting a line is a change of the work order: whoever reads work orders by change time sees it.
    await pin('2026-07-02T09:10:00Z');
    expect((await client.dataverse(second, { method: 'DELETE' })).status).toBe(204);
    expect(await totals()).toMatchObject({ msdyn_totalamount: 115, modifiedon: '2026-07-02T09:10:00Z' });

    // The totals are Field Service's: a value sent for them is ignored.
    await client.dataverse(workOrderUrl, { method: 'PATCH', ...json({ msdyn_totalamount: 1 }) });
    expect(await totals()).toMatchObject({ msdyn_totalamount: 115 });
  } finally {
    await pin(null);
  }
});

test('a line going from Used back to Estimated has its used quantity reset to 0', async () => {
  const lines = await read(
    `msdyn_workorderproducts?$select=msdyn_workorderproductid&$filter=msdyn_workorder/msdyn_name eq 'WO-00003' and msdyn_linestatus eq 690970001`,
  );
  const id = String((lines.value as Body[])[0].msdyn_workorderproductid);
  expect((await read(`msdyn_workorderproducts(${id})?$select=msdyn_quantity`)).msdyn_quantity).toBe(3);
  await client.dataverse(`msdyn_workorderproducts(${id})`, {
    method: 'PATCH',
    ...json({ msdyn_linestatus: 690970000 }),
  });
  expect(
    await read(`msdyn_workorderproducts(${id})?$select=msdyn_quantity,msdyn_estimatequantity`),
  ).toMatchObject({
    msdyn_quantity: 0,
    msdyn_estimatequantity: 2,
  });
});

test('selecting a money column brings _transactioncurrencyid_value', async () => {
  const product = await read(`products(productnumber='P-1000')?$select=price`);
  expect(product._transactioncurrencyid_value).toMatch(/^[0-9a-f-]{36}$/);
  expect(Object.keys(await read(`products(productnumber='P-1000')?$select=name`))).not.toContain(
    '_transactioncurrencyid_value',
  );
});

test('DELETE removes a row and its work order lines; a second DELETE is 404', async () => {
  const id = String(
    (await read(`msdyn_workorders(msdyn_name='WO-00001')?$select=msdyn_workorderid`)).msdyn_workorderid,
  );
  expect((await client.dataverse(`msdyn_workorders(${id})`, { method: 'DELETE' })).status).toBe(204);
  expect((await client.dataverse(`msdyn_workorders(${id})`, { method: 'DELETE' })).status).toBe(404);
  const lines = await read(`msdyn_workorderproducts?$filter=_msdyn_workorder_value eq ${id}`);
  expect(lines.value).toEqual([]);
});
