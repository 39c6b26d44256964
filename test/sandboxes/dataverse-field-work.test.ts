import { startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

type Row = Record<string, unknown>;

async function rows(path: string): Promise<Row[]> {
  const response = await client.dataverse(path);
  expect(response.status).toBe(200);
  return ((await response.json()) as { value: Row[] }).value;
}

test('a technician completes a work order: lines become Used with their estimates, the order Open-Completed', async () => {
  const response = await client.control('dataverse', 'work-orders/WO-00002/complete', { method: 'POST' });
  expect(response.status).toBe(200);
  const [workOrder] = await rows(
    `msdyn_workorders?$select=msdyn_systemstatus&$filter=msdyn_name eq 'WO-00002'` +
      `&$expand=msdyn_msdyn_workorder_msdyn_workorderproduct_WorkOrder($select=msdyn_linestatus,msdyn_quantity,msdyn_totalamount,msdynce_headersystemstatus),` +
      `msdyn_msdyn_workorder_msdyn_workorderservice_WorkOrder($select=msdyn_linestatus,msdyn_duration)`,
  );
  expect(workOrder.msdyn_systemstatus).toBe(690970003);
  expect(workOrder.msdyn_msdyn_workorder_msdyn_workorderproduct_WorkOrder).toEqual([
    expect.objectContaining({
      msdyn_linestatus: 690970001,
      msdyn_quantity: 1,
      msdyn_totalamount: 1250,
      msdynce_headersystemstatus: 690970003,
    }),
  ]);
  expect(workOrder.msdyn_msdyn_workorder_msdyn_workorderservice_WorkOrder).toEqual([
    expect.objectContaining({ msdyn_linestatus: 690970001, msdyn_duration: 120 }),
  ]);
  expect((await client.control('dataverse', 'work-orders/WO-NOPE/complete', { method: 'POST' })).status).toBe(
    404,
  );
});

test('agreement invoicing turns the next scheduled invoice date into an invoice with agreement lines', async () => {
  const response = await client.control('dataverse', 'agreements/AGR-00001/invoice', { method: 'POST' });
  expect(response.status).toBe(200);
  const created = (await response.json()) as { invoiceid: string; invoicenumber: string };
  expect(created.invoicenumber).toBe('INV-00002');
  const [invoice] = await rows(
    `invoices?$select=invoicenumber,totalamount,msdynce_invoicedate,msdynce_haslineswithagreementorigin,_customerid_value&$filter=invoiceid eq ${created.invoiceid}` +
      `&$expand=invoice_details($select=quantity,priceperunit,extendedamount,msdynce_hasagreementorigin;$orderby=lineitemnumber)`,
  );
  expect(invoice).toMatchObject({
    totalamount: 205,
    msdynce_invoicedate: '2026-02-28',
    msdynce_haslineswithagreementorigin: true,
  });
  expect(invoice.invoice_details).toEqual([
    expect.objectContaining({
      quantity: 1,
      priceperunit: 15,
      extendedamount: 15,
      msdynce_hasagreementorigin: true,
    }),
    expect.objectContaining({ quantity: 2, priceperunit: 95, extendedamount: 190 }),
  ]);
  const dates = await rows(
    `msdyn_agreementinvoicedates?$select=msdyn_invoicedate,msdyn_invoicestatus&$orderby=msdyn_invoicedate`,
  );
  expect(dates.map((row) => row.msdyn_invoicestatus)).toEqual([690970001, 690970001, 690970000]);

  await client.control('dataverse', 'agreements/AGR-00001/invoice', { method: 'POST' });
  expect((await client.control('dataverse', 'agreements/AGR-00001/invoice', { method: 'POST' })).status).toBe(
    409,
  );
});
