import { json, startSandboxClient, type SandboxClient } from './support/sandbox-client';

let client: SandboxClient;

beforeAll(async () => {
  client = await startSandboxClient({ seed: true });
});
afterAll(() => client.close());

const orderPath = (number: string) =>
  `PurchaseOrderHeadersV2(dataAreaId='usmf',PurchaseOrderNumber='${number}')`;
const linePath = (number: string, line: number) =>
  `CDSPurchaseOrderLines(dataAreaId='usmf',PurchaseOrderNumber='${number}',LineNumber=${line})`;

async function read<T = Record<string, unknown>>(path: string): Promise<T> {
  const response = await client.finance(path);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

const control = (path: string, body?: unknown) =>
  client.control('finance', path, {
    method: body === undefined ? 'POST' : 'PUT',
    ...(body === undefined ? {} : json(body)),
  });
const act = (number: string, action: string, body?: unknown) =>
  client.control('finance', `purchase-orders/usmf/${number}/${action}`, {
    method: 'POST',
    ...json(body ?? {}),
  });

async function createOrder(number: string, vendor = 'V-1000'): Promise<void> {
  const header = {
    PurchaseOrderNumber: number,
    OrderVendorAccountNumber: vendor,
    CurrencyCode: 'USD',
    DefaultReceivingWarehouseId: '11',
  };
  expect((await client.finance('PurchaseOrderHeadersV2', { method: 'POST', ...json(header) })).status).toBe(
    201,
  );
  for (const [LineNumber, ProductNumber, OrderedPurchaseQuantity] of [
    [1, 'P-1000', 10],
    [2, 'P-1001', 2],
  ] as const) {
    const response = await client.finance('CDSPurchaseOrderLines', {
      method: 'POST',
      ...json({ PurchaseOrderNumber: number, LineNumber, ProductNumber, OrderedPurchaseQuantity }),
    });
    expect(response.status).toBe(201);
  }
}

test('a new purchase order is an open Draft order; lines take prices and discounts from the trade agreement, unit and site from product and warehouse', async () => {
  await createOrder('PO-S1');
  expect(await read(orderPath('PO-S1'))).toMatchObject({
    PurchaseOrderStatus: 'Backorder',
    DocumentApprovalStatus: 'Draft',
  });
  expect(await read(linePath('PO-S1', 1))).toMatchObject({
    PurchasePrice: 18,
    LineDiscountPercentage: 5,
    LineAmount: 171,
    PurchaseUnitSymbol: 'ea',
    ReceivingWarehouseId: '11',
    ReceivingSiteId: '1',
    PurchaseOrderLineStatus: 'Backorder',
  });
  expect(await read(linePath('PO-S1', 2))).toMatchObject({ PurchasePrice: 640, LineAmount: 1280 });

  expect(
    (await control('purchase-prices', { company: 'usmf', vendor: 'V-1000', item: 'P-1001', price: 600 }))
      .status,
  ).toBe(200);
  await client.finance(linePath('PO-S1', 2), {
    method: 'PATCH',
    ...json({ PurchasePrice: 0, OrderedPurchaseQuantity: 3 }),
  });
  expect(await read(linePath('PO-S1', 2))).toMatchObject({ PurchasePrice: 600, LineAmount: 1800 });
});

test('an unknown vendor or warehouse is refused', async () => {
  const response = await client.finance('PurchaseOrderHeadersV2', {
    method: 'POST',
    ...json({ PurchaseOrderNumber: 'PO-S2', OrderVendorAccountNumber: 'V-9999', CurrencyCode: 'USD' }),
  });
  expect(response.status).toBe(400);
  expect(await response.text()).toContain('Vendor account V-9999 does not exist in company usmf.');
});

test('approval: only a Draft order changes; a change request returns it to Draft', async () => {
  await createOrder('PO-S3');
  expect((await act('PO-S3', 'submit')).status).toBe(200);
  expect((await act('PO-S3', 'approve')).status).toBe(200);
  expect(await read(orderPath('PO-S3'))).toMatchObject({ DocumentApprovalStatus: 'Approved' });
  const refused = await client.finance(linePath('PO-S3', 1), {
    method: 'PATCH',
    ...json({ OrderedPurchaseQuantity: 12 }),
  });
  expect(refused.status).toBe(400);
  expect(await refused.text()).toContain(
    'Purchase order PO-S3 cannot be changed because its approval status is Approved. Request a change to return it to Draft.',
  );
  expect((await act('PO-S3', 'reject')).status).toBe(409);
  expect((await act('PO-S3', 'confirm')).status).toBe(200);
  expect((await act('PO-S3', 'request-change')).status).toBe(200);
  const changed = await client.finance(linePath('PO-S3', 1), {
    method: 'PATCH',
    ...json({ OrderedPurchaseQuantity: 12 }),
  });
  expect(changed.status).toBe(204);
});

test('product receipts: partial then full, on-hand rises, the order becomes Received; over-receipt and receipts before approval are refused', async () => {
  await createOrder('PO-S4');
  expect((await act('PO-S4', 'receive')).status).toBe(409);
  await act('PO-S4', 'approve');
  const onHandPath = "WarehousesOnHandV2?$filter=ItemNumber eq 'P-1000' and InventoryWarehouseId eq '11'";
  const before =
    (await read<{ value: { OnHandQuantity: number }[] }>(onHandPath)).value[0]?.OnHandQuantity ?? 0;

  expect((await act('PO-S4', 'receive', { lines: [{ lineNumber: 1, quantity: 11 }] })).status).toBe(400);
  const dayBefore = new Date().toISOString().slice(0, 10);
  const partial = await act('PO-S4', 'receive', { lines: [{ lineNumber: 1, quantity: 4 }] });
  const dayAfter = new Date().toISOString().slice(0, 10);
  expect(partial.status).toBe(200);
  const receipt = (await partial.json()) as { RecordId: number; ProductReceiptNumber: string };
  expect(receipt.ProductReceiptNumber).toMatch(/^PR-/);
  const header = await read<{ ProductReceiptDate: string }>(
    `ProductReceiptHeaders(dataAreaId='usmf',RecordId=${receipt.RecordId})`,
  );
  expect(header).toMatchObject({ PurchaseOrderNumber: 'PO-S4', OrderVendorAccountNumber: 'V-1000' });
  // A date, as F&O's: the day it was received, at midnight UTC.
  expect([`${dayBefore}T00:00:00Z`, `${dayAfter}T00:00:00Z`]).toContain(header.ProductReceiptDate);
  const lines = await read<{ value: Record<string, unknown>[] }>(
    `ProductReceiptLines?$filter=ProductReceiptHeaderRecordId eq ${receipt.RecordId}`,
  );
  expect(lines.value).toEqual([
    expect.objectContaining({
      PurchaseOrderLineNumber: 1,
      ReceivedPurchaseQuantity: 4,
      RemainingPurchaseQuantity: 6,
      ReceivingWarehouseId: '11',
    }),
  ]);
  expect((await read<{ value: { OnHandQuantity: number }[] }>(onHandPath)).value[0]!.OnHandQuantity).toBe(
    before + 4,
  );
  expect(await read(orderPath('PO-S4'))).toMatchObject({ PurchaseOrderStatus: 'Backorder' });
  expect((await act('PO-S4', 'cancel')).status).toBe(409);

  const rest = await act('PO-S4', 'receive', { receiptDate: '2026-03-02T15:30:00Z' });
  expect(rest.status).toBe(200);
  expect(await rest.json()).toMatchObject({ ProductReceiptDate: '2026-03-02T00:00:00Z' });
  expect(await read(orderPath('PO-S4'))).toMatchObject({ PurchaseOrderStatus: 'Received' });
  expect(await read(linePath('PO-S4', 1))).toMatchObject({ PurchaseOrderLineStatus: 'Received' });
  expect((await read<{ value: { OnHandQuantity: number }[] }>(onHandPath)).value[0]!.OnHandQuantity).toBe(
    before + 10,
  );
  expect((await client.finance('ProductReceiptHeaders', { method: 'POST', ...json({}) })).status).toBe(405);
});

test('cancelling an order without receipts cancels it and its lines', async () => {
  await createOrder('PO-S5');
  expect((await act('PO-S5', 'cancel')).status).toBe(200);
  expect(await read(orderPath('PO-S5'))).toMatchObject({ PurchaseOrderStatus: 'Canceled' });
  expect(await read(linePath('PO-S5', 2))).toMatchObject({ PurchaseOrderLineStatus: 'Canceled' });
});
