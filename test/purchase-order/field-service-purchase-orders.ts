import { randomUUID } from 'node:crypto';
import type { Stack } from '../support/stack';

export const PurchaseOrderStatus = { Draft: 690970000, Submitted: 690970001 } as const;

export interface PurchaseLine {
  product: string;
  quantity: number;
  unit?: string | null;
  warehouse?: string;
  lineOrder?: number;
}

/** A fresh purchase order as a dispatcher enters it in Field Service, numbered uniquely per test. */
export async function createPurchaseOrder(
  stack: Stack,
  order: { vendor?: string; warehouse?: string; status?: number; lines: PurchaseLine[] },
): Promise<{ number: string; id: string; lineIds: string[] }> {
  const number = `PO-T${randomUUID().slice(0, 8).toUpperCase()}`;
  const idOf = async (entitySet: string, filter: string, key: string) => {
    const { value } = await stack.dataverse<{ value: Record<string, string>[] }>(
      `${entitySet}?$filter=${filter}`,
    );
    return value[0]![key]!;
  };
  const usd = await idOf('transactioncurrencies', "isocurrencycode eq 'USD'", 'transactioncurrencyid');
  const id = await stack.createInDataverse('msdyn_purchaseorders', {
    msdyn_name: number,
    msdyn_systemstatus: order.status ?? PurchaseOrderStatus.Submitted,
    'msdyn_vendor@odata.bind': `/accounts(accountnumber='${order.vendor ?? 'V-1000'}')`,
    'msdyn_receivetowarehouse@odata.bind': `/msdyn_warehouses(msdyn_name='${order.warehouse ?? '11'}')`,
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usd})`,
  });
  const lineIds: string[] = [];
  for (const [index, line] of order.lines.entries()) {
    const unit =
      line.unit === null ? undefined : await idOf('uoms', `msdyn_symbol eq '${line.unit ?? 'ea'}'`, 'uomid');
    lineIds.push(
      await stack.createInDataverse('msdyn_purchaseorderproducts', {
        msdyn_name: `${number}-${index + 1}`,
        msdyn_lineorder: line.lineOrder ?? index + 1,
        msdyn_quantity: line.quantity,
        'msdyn_purchaseorder@odata.bind': `/msdyn_purchaseorders(${id})`,
        'msdyn_product@odata.bind': `/products(productnumber='${line.product}')`,
        'msdyn_associatetowarehouse@odata.bind': `/msdyn_warehouses(msdyn_name='${line.warehouse ?? order.warehouse ?? '11'}')`,
        ...(unit ? { 'msdyn_unit@odata.bind': `/uoms(${unit})` } : {}),
      }),
    );
  }
  return { number, id, lineIds };
}

/** PATCHes a Field Service row as a user would. */
export async function updateInDataverse(
  stack: Stack,
  path: string,
  body: Record<string, unknown>,
): Promise<void> {
  const { urls, app } = stack.sandboxes;
  const tokenResponse = await fetch(`${urls.token}/${app.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'client_credentials',
      scope: `${urls.dataverse}/.default`,
    }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const response = await fetch(`${urls.dataverse}/api/data/v9.2/${path}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '*' },
    body: JSON.stringify(body),
  });
  if (response.status !== 204) throw new Error(`PATCH ${path}: ${response.status} ${await response.text()}`);
}

/** Field Service's on-hand quantity of a product at a warehouse (0 without a product inventory row). */
export async function fieldServiceOnHand(stack: Stack, product: string, warehouse: string): Promise<number> {
  const { value } = await stack.dataverse<{ value: { msdyn_qtyonhand: number }[] }>(
    `msdyn_productinventories?$filter=msdyn_product/productnumber eq '${product}' and msdyn_warehouse/msdyn_name eq '${warehouse}'`,
  );
  return value.reduce((sum, row) => sum + Number(row.msdyn_qtyonhand), 0);
}

/** F&O's on-hand quantity of an item at a warehouse. */
export async function financeOnHand(stack: Stack, item: string, warehouse: string): Promise<number> {
  const { value } = await stack.finance<{ value: { OnHandQuantity: number }[] }>(
    `WarehousesOnHandV2?$filter=ItemNumber eq '${item}' and InventoryWarehouseId eq '${warehouse}'`,
  );
  return value.reduce((sum, row) => sum + Number(row.OnHandQuantity), 0);
}
