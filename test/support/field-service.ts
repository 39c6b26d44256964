import { randomUUID } from 'node:crypto';
import type { Stack } from './stack';

export const SystemStatus = {
  Unscheduled: 690970000,
  Scheduled: 690970001,
  InProgress: 690970002,
  Completed: 690970003,
  Posted: 690970004,
  Canceled: 690970005,
} as const;
const Estimated = 690970000;
const Used = 690970001;

export interface ProductLine {
  product: string;
  used?: boolean;
  allocated?: boolean;
  estimate: number;
  quantity: number;
  price: number;
  /** The `msdyn_name` of the warehouse the part comes from. */
  warehouse?: string;
}
export interface ServiceLine {
  service: string;
  used?: boolean;
  estimateMinutes: number;
  minutes: number;
  price: number;
}

/** A fresh work order in the Field Service sandbox, numbered uniquely so tests never share a workflow. */
export async function createWorkOrder(
  stack: Stack,
  order: {
    status: number;
    customer?: string | null;
    products?: ProductLine[];
    services?: ServiceLine[];
    number?: string;
    /** A `transactioncurrencies` id; USD when omitted. */
    currencyId?: string;
  },
): Promise<string> {
  const number = order.number ?? `WO-T${randomUUID().slice(0, 8).toUpperCase()}`;
  const idOf = async (entitySet: string, filter: string, key: string) => {
    const { value } = await stack.dataverse<{ value: Record<string, string>[] }>(
      `${entitySet}?$filter=${filter}`,
    );
    return value[0]![key];
  };
  const unit = {
    ea: await idOf('uoms', "msdyn_symbol eq 'ea'", 'uomid'),
    hr: await idOf('uoms', "msdyn_symbol eq 'hr'", 'uomid'),
  };
  const usd = await idOf('transactioncurrencies', "isocurrencycode eq 'USD'", 'transactioncurrencyid');
  const account =
    order.customer === null
      ? {}
      : { [`msdyn_serviceaccount@odata.bind`]: `/accounts(accountnumber='${order.customer ?? 'US-001'}')` };
  const id = await stack.createInDataverse('msdyn_workorders', {
    msdyn_name: number,
    msdyn_systemstatus: order.status,
    ...account,
    ...(order.customer === null
      ? {}
      : { 'msdyn_billingaccount@odata.bind': `/accounts(accountnumber='${order.customer ?? 'US-001'}')` }),
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${order.currencyId ?? usd})`,
  });
  let lineOrder = 0;
  for (const line of order.products ?? []) {
    await stack.createInDataverse('msdyn_workorderproducts', {
      msdyn_name: `${number}-${++lineOrder}`,
      msdyn_lineorder: lineOrder,
      msdyn_linestatus: line.used ? Used : Estimated,
      msdyn_allocated: line.allocated ?? false,
      msdyn_estimatequantity: line.estimate,
      msdyn_quantity: line.quantity,
      msdyn_estimateunitamount: line.price,
      msdyn_unitamount: line.price,
      'msdyn_workorder@odata.bind': `/msdyn_workorders(${id})`,
      'msdyn_product@odata.bind': `/products(productnumber='${line.product}')`,
      'msdyn_unit@odata.bind': `/uoms(${unit.ea})`,
      ...(line.warehouse
        ? { 'msdyn_warehouse@odata.bind': `/msdyn_warehouses(msdyn_name='${line.warehouse}')` }
        : {}),
    });
  }
  lineOrder = 0;
  for (const line of order.services ?? []) {
    await stack.createInDataverse('msdyn_workorderservices', {
      msdyn_name: `${number}-S${++lineOrder}`,
      msdyn_lineorder: lineOrder,
      msdyn_linestatus: line.used ? Used : Estimated,
      msdyn_estimateduration: line.estimateMinutes,
      msdyn_duration: line.minutes,
      msdyn_estimateunitamount: line.price,
      msdyn_unitamount: line.price,
      'msdyn_workorder@odata.bind': `/msdyn_workorders(${id})`,
      'msdyn_service@odata.bind': `/products(productnumber='${line.service}')`,
      'msdyn_unit@odata.bind': `/uoms(${unit.hr})`,
    });
  }
  return number;
}
