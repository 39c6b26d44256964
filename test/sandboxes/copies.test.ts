import { json, startSandboxClient, type SandboxClient } from './support/sandbox-client';

// The bulk copy requests the reconcile benchmark seeds thousands of documents with (docs/PERFORMANCE.md).
let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

const post = (body: unknown): RequestInit => ({ method: 'POST', ...json(body) });

async function rows<T>(response: Promise<Response>): Promise<T[]> {
  const answer = await response;
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { value: T[] }).value;
}

interface WorkOrderRow {
  msdyn_workorderid: string;
  msdyn_name: string;
  modifiedon: string;
}

const workOrder = async (name: string) =>
  rows<WorkOrderRow>(
    client.dataverse(`msdyn_workorders?$filter=msdyn_name eq '${name}'&$select=msdyn_name,modifiedon`),
  );
const linesOf = async (id: string) =>
  rows<{ msdyn_name: string; msdyn_estimatequantity: number }>(
    client.dataverse(
      `msdyn_workorderproducts?$filter=_msdyn_workorder_value eq ${id}&$select=msdyn_name,msdyn_estimatequantity`,
    ),
  );

test('Dataverse: a work order copied with its lines, texts replaced, at the given time; a repeated key writes nothing', async () => {
  const [template] = await workOrder('WO-00003');
  const copies = (replace: Record<string, string>[]) =>
    client.control(
      'dataverse',
      `tables/msdyn_workorders/${template!.msdyn_workorderid}/copies`,
      post({ copies: replace.map((r) => ({ replace: r })), modifiedOn: '2026-11-01T08:00:00.000Z' }),
    );

  const made = await copies([{ 'WO-00003': 'WO-C0001' }, { 'WO-00003': 'WO-C0002' }]);
  expect(made.status).toBe(200);
  for (const name of ['WO-C0001', 'WO-C0002']) {
    const [copy] = await workOrder(name);
    expect(copy).toMatchObject({ msdyn_name: name, modifiedon: '2026-11-01T08:00:00Z' });
    expect(copy!.msdyn_workorderid).not.toBe(template!.msdyn_workorderid);
    const lines = await linesOf(copy!.msdyn_workorderid);
    expect(lines.map((line) => line.msdyn_estimatequantity).sort()).toEqual([2, 5]);
  }
  expect(await linesOf(template!.msdyn_workorderid)).toHaveLength(2);

  const repeated = await copies([{ 'WO-00003': 'WO-C0003' }, { 'WO-00003': 'WO-C0001' }]);
  expect(repeated.status).toBe(409);
  expect(await workOrder('WO-C0003')).toEqual([]);
});

test('F&O: an invoiced sales order copied with lines, invoice and invoice lines under new numbers; a repeated key writes nothing', async () => {
  const header = {
    SalesOrderNumber: 'SO-COPY',
    OrderingCustomerAccountNumber: 'US-002',
    CurrencyCode: 'USD',
  };
  expect((await client.finance('CDSSalesOrderHeaders', post(header))).status).toBe(201);
  const line = {
    SalesOrderNumber: 'SO-COPY',
    ProductNumber: 'P-1001',
    OrderedSalesQuantity: 2,
    SalesPrice: 30,
  };
  for (const number of [1, 2])
    expect(
      (await client.finance('CDSSalesOrderLines', post({ ...line, LineCreationSequenceNumber: number })))
        .status,
    ).toBe(201);
  const posted = await client.control('finance', 'sales-orders/usmf/SO-COPY/post-invoice', {
    method: 'POST',
  });
  const { InvoiceNumber } = (await posted.json()) as { InvoiceNumber: string };
  const copy = (to: string) =>
    client.control(
      'finance',
      'companies/USMF/copies',
      post({
        entities: [
          'CDSSalesOrderHeaders',
          'CDSSalesOrderLines',
          'SalesInvoiceHeadersV2',
          'SalesInvoiceLines',
        ],
        where: { SalesOrderNumber: 'SO-COPY' },
        copies: [{ replace: { 'SO-COPY': to, [InvoiceNumber]: `INV-${to}` } }],
      }),
    );

  expect((await copy('SO-C1')).status).toBe(200);
  expect(
    await rows(
      client.finance(`CDSSalesOrderHeaders?$filter=SalesOrderNumber eq 'SO-C1'&$select=SalesOrderStatus`),
    ),
  ).toEqual([expect.objectContaining({ SalesOrderStatus: 'Invoiced' })]);
  expect(await rows(client.finance(`CDSSalesOrderLines?$filter=SalesOrderNumber eq 'SO-C1'`))).toHaveLength(
    2,
  );
  expect(
    await rows(
      client.finance(
        `SalesInvoiceHeadersV2?$filter=InvoiceNumber eq 'INV-SO-C1'&$select=SalesOrderNumber,TotalInvoiceAmount`,
      ),
    ),
  ).toEqual([expect.objectContaining({ SalesOrderNumber: 'SO-C1', TotalInvoiceAmount: 120 })]);
  expect(await rows(client.finance(`SalesInvoiceLines?$filter=InvoiceNumber eq 'INV-SO-C1'`))).toHaveLength(
    2,
  );

  const before = await rows(client.finance(`CDSSalesOrderLines?$select=SalesOrderNumber`));
  expect((await copy('SO-C1')).status).toBe(409);
  expect(await rows(client.finance(`CDSSalesOrderLines?$select=SalesOrderNumber`))).toHaveLength(
    before.length,
  );
});
