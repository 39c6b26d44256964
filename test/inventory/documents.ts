import { randomUUID } from 'node:crypto';
import { updateInDataverse } from '../agreement-invoice/field-service-invoices';
import type { Stack } from '../support/stack';

export interface DocumentLine {
  product: string;
  quantity: number;
}

const bindWarehouse = (name: string) => `/msdyn_warehouses(msdyn_name='${name}')`;

/** A Field Service inventory adjustment, named uniquely, with its lines; Posted unless told otherwise. */
export async function createAdjustment(
  stack: Stack,
  adjustment: { warehouse: string; lines: DocumentLine[]; post?: boolean },
): Promise<{ name: string; id: string }> {
  const name = `ADJ-T${randomUUID().slice(0, 8).toUpperCase()}`;
  const id = await stack.createInDataverse('msdyn_inventoryadjustments', {
    msdyn_name: name,
    msdyn_adjustmenttime: '2026-03-01T10:00:00Z',
    msdynce_poststatus: 1,
    'msdyn_warehouse@odata.bind': bindWarehouse(adjustment.warehouse),
  });
  await addLines(
    stack,
    name,
    'msdyn_inventoryadjustment',
    `/msdyn_inventoryadjustments(${id})`,
    adjustment.lines,
  );
  if (adjustment.post !== false)
    await updateInDataverse(stack, `msdyn_inventoryadjustments(${id})`, { msdynce_poststatus: 2 });
  return { name, id };
}

/** A Field Service inventory transfer, named uniquely, with its lines; Posted unless told otherwise. */
export async function createTransfer(
  stack: Stack,
  transfer: { from: string; to: string; lines: DocumentLine[]; post?: boolean },
): Promise<{ name: string; id: string }> {
  const name = `TRF-T${randomUUID().slice(0, 8).toUpperCase()}`;
  const id = await stack.createInDataverse('msdyn_inventorytransfers', {
    msdyn_name: name,
    msdyn_transfertime: '2026-03-02T10:00:00Z',
    msdynce_poststatus: 1,
    'msdyn_sourcewarehouse@odata.bind': bindWarehouse(transfer.from),
    'msdyn_destinationwarehouse@odata.bind': bindWarehouse(transfer.to),
  });
  await addLines(stack, name, 'msdyn_inventorytransfer', `/msdyn_inventorytransfers(${id})`, transfer.lines);
  if (transfer.post !== false)
    await updateInDataverse(stack, `msdyn_inventorytransfers(${id})`, { msdynce_poststatus: 2 });
  return { name, id };
}

async function addLines(
  stack: Stack,
  name: string,
  parent: string,
  parentPath: string,
  lines: DocumentLine[],
): Promise<void> {
  for (const [index, line] of lines.entries()) {
    await stack.createInDataverse('msdyn_inventoryadjustmentproducts', {
      msdyn_name: `${name}-${index + 1}`,
      msdyn_quantity: line.quantity,
      msdynce_numbersequence: `${name}-${String(index + 1).padStart(4, '0')}`,
      'msdyn_product@odata.bind': `/products(productnumber='${line.product}')`,
      [`${parent}@odata.bind`]: parentPath,
    });
  }
}

/** Field Service's on-hand quantity of a product in a warehouse. */
export async function fieldServiceOnHand(stack: Stack, product: string, warehouse: string): Promise<number> {
  const { value } = await stack.dataverse<{ value: { msdyn_qtyonhand: number }[] }>(
    `msdyn_productinventories?$filter=msdyn_product/productnumber eq '${product}' and msdyn_warehouse/msdyn_name eq '${warehouse}'`,
  );
  return value[0]?.msdyn_qtyonhand ?? 0;
}

/** F&O's on-hand quantity of an item in a warehouse. */
export async function financeOnHand(stack: Stack, item: string, warehouse: string): Promise<number> {
  const { value } = await stack.finance<{ value: { OnHandQuantity: number }[] }>(
    `WarehousesOnHandV2?$filter=ItemNumber eq '${item}' and InventoryWarehouseId eq '${warehouse}'`,
  );
  return value[0]?.OnHandQuantity ?? 0;
}

/** PATCHes a row as an administrator skipping the integration solution's plug-ins (which keep Posted documents read-only). */
export async function editBypassingPlugins(
  stack: Stack,
  path: string,
  changes: Record<string, unknown>,
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
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'if-match': '*',
      'MSCRM.BypassCustomPluginExecution': 'true',
    },
    body: JSON.stringify(changes),
  });
  if (response.status !== 204) throw new Error(`PATCH ${path}: ${response.status} ${await response.text()}`);
}
