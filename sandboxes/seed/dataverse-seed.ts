import { DataverseData } from '../dataverse/dataverse-data';
import { emptyDataverseState, type DataverseState } from '../dataverse/dataverse-state';
import { newRow } from '../dataverse/new-row';
import type { Row } from '../dataverse/schema';
import { tablesByEntitySet } from '../dataverse/tables';
import { syncWorkOrders } from '../dataverse/work-order-rules';
import {
  demoCurrencies,
  demoCustomers,
  demoProducts,
  demoUnits,
  demoVendors,
  demoWarehouses,
} from './demo-catalog';
import { seedAgreement } from './demo-agreement';
import { seedInventory } from './demo-stock';
import { demoWorkOrders } from './demo-work-orders';
import { seedId } from './seed-id';

const productTypes = { Inventory: 690970000, NonInventory: 690970001, Service: 690970002 };

/** The Field Service side of the demo: accounts, products, units, currencies, warehouses, work orders, an agreement. */
export function seedDataverse(): DataverseState {
  const state = emptyDataverseState();
  const data = new DataverseData(
    () => state,
    () => undefined,
  );
  const add = (entitySet: string, key: string, values: Row): string => {
    const table = tablesByEntitySet.get(entitySet);
    if (!table) throw new Error(`Unknown table ${entitySet}`);
    const id = seedId(`${entitySet}:${key}`);
    data.put(table, { ...newRow(table, id, data.nextVersion(), '2026-01-05T08:00:00Z'), ...values });
    return id;
  };

  const currencies = new Map(
    demoCurrencies.map((currency) => [
      currency.code,
      add('transactioncurrencies', currency.code, {
        currencyname: currency.name,
        isocurrencycode: currency.code,
        currencysymbol: currency.symbol,
        exchangerate: currency.rate,
        currencyprecision: 2,
      }),
    ]),
  );
  const usd = currencies.get('USD');
  const unitGroup = add('uomschedules', 'Default unit', { name: 'Default unit', baseuomname: 'Each' });
  const units = new Map(
    demoUnits.map((unit) => [
      unit.symbol,
      add('uoms', unit.symbol, {
        name: unit.name,
        msdyn_symbol: unit.symbol,
        quantity: 1,
        isschedulebaseuom: unit.name === 'Each',
        uomscheduleid: unitGroup,
      }),
    ]),
  );
  const accounts = new Map(
    demoCustomers.map((customer) => [
      customer.account,
      add('accounts', customer.account, {
        name: customer.name,
        accountnumber: customer.account,
        customertypecode: 3,
        address1_line1: customer.street,
        address1_city: customer.city,
        address1_stateorprovince: customer.state,
        address1_postalcode: customer.zip,
        address1_country: 'USA',
        transactioncurrencyid: usd,
      }),
    ]),
  );
  for (const vendor of demoVendors) {
    add('accounts', vendor.account, {
      name: vendor.name,
      accountnumber: vendor.account,
      customertypecode: 11,
      transactioncurrencyid: usd,
    });
    add('msdyn_vendors', vendor.account, {
      msdyn_name: vendor.name,
      msdyn_vendoraccountnumber: vendor.account,
      msdyn_vendorgroup: '10',
      transactioncurrencyid: usd,
    });
  }
  const products = new Map(
    demoProducts.map((product) => [
      product.number,
      {
        id: add('products', product.number, {
          name: product.name,
          productnumber: product.number,
          price: product.price,
          currentcost: product.cost,
          producttypecode: product.type === 'Service' ? 3 : 1,
          msdyn_fieldserviceproducttype: productTypes[product.type],
          msdynce_isexternallymaintained: product.companies.length > 0,
          quantitydecimal: 2,
          defaultuomscheduleid: unitGroup,
          defaultuomid: units.get(product.unit),
          msdynce_inventoryunit: units.get(product.unit),
          transactioncurrencyid: usd,
        }),
        ...product,
      },
    ]),
  );
  const warehouses = new Map(
    demoWarehouses.map((warehouse) => [
      warehouse.id,
      add('msdyn_warehouses', warehouse.id, {
        msdyn_name: warehouse.id,
        msdyn_description: warehouse.name,
        msdyn_warehouseidentifier: warehouse.id,
        msdynce_ismaintainedexternally: true,
      }),
    ]),
  );

  for (const order of demoWorkOrders) {
    const workOrderId = add('msdyn_workorders', order.name, {
      msdyn_name: order.name,
      msdyn_systemstatus: order.status,
      msdyn_workordersummary: order.summary,
      msdyn_serviceaccount: accounts.get(order.customer),
      msdyn_billingaccount: accounts.get(order.customer),
      transactioncurrencyid: usd,
      msdyn_datewindowstart: '2026-01-12T14:00:00Z',
      msdyn_datewindowend: '2026-01-12T18:00:00Z',
    });
    order.products.forEach((line, index) => {
      const product = products.get(line.product);
      if (!product) return;
      add('msdyn_workorderproducts', `${order.name}:${index}`, {
        msdyn_name: product.name,
        msdyn_workorder: workOrderId,
        msdyn_product: product.id,
        msdyn_unit: units.get(product.unit),
        msdyn_warehouse: warehouses.get('13'),
        transactioncurrencyid: usd,
        msdyn_linestatus: line.lineStatus,
        msdyn_allocated: line.allocated,
        msdyn_lineorder: index + 1,
        msdyn_estimatequantity: line.estimate,
        msdyn_quantity: line.quantity,
        msdyn_qtytobill: line.quantity,
        msdyn_estimateunitamount: product.price,
        msdyn_unitamount: product.price,
        msdyn_estimatediscountamount: 0,
        msdyn_discountamount: 0,
        msdyn_estimatetotalamount: product.price * line.estimate,
        msdyn_totalamount: product.price * line.quantity,
      });
    });
    order.services.forEach((line, index) => {
      const service = products.get(line.service);
      if (!service) return;
      add('msdyn_workorderservices', `${order.name}:${index}`, {
        msdyn_name: service.name,
        msdyn_workorder: workOrderId,
        msdyn_service: service.id,
        msdyn_unit: units.get('hr'),
        transactioncurrencyid: usd,
        msdyn_linestatus: line.lineStatus,
        msdyn_lineorder: index + 1,
        msdyn_estimateduration: line.estimateMinutes,
        msdyn_duration: line.minutes,
        msdyn_durationtobill: line.minutes,
        msdyn_estimateunitamount: service.price,
        msdyn_unitamount: service.price,
        msdyn_estimatediscountamount: 0,
        msdyn_discountamount: 0,
        msdyn_estimatetotalamount: (service.price * line.estimateMinutes) / 60,
        msdyn_totalamount: (service.price * line.minutes) / 60,
      });
    });
  }
  // The demo's rows keep their seeded dates: their flags are what the plug-in left when they were written.
  syncWorkOrders(
    data,
    demoWorkOrders.map((order) => seedId(`msdyn_workorders:${order.name}`)),
    null,
  );
  seedInventory(data, add, { products, warehouses, units });

  seedAgreement(add, { account: accounts.get('US-001'), usd, units, products });
  return state;
}
