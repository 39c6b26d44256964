import { DataverseData } from '../dataverse/dataverse-data';
import { emptyDataverseState, type DataverseState } from '../dataverse/dataverse-state';
import { newRow } from '../dataverse/new-row';
import type { Row } from '../dataverse/schema';
import { tablesByEntitySet } from '../dataverse/tables';
import { syncWorkOrders } from '../dataverse/work-order-rules';
import { demoCurrencies, demoCustomers, demoProducts, demoUnits, demoWarehouses } from './demo-catalog';
import { seedId } from './seed-id';

const status = {
  unscheduled: 690970000,
  scheduled: 690970001,
  inProgress: 690970002,
  completed: 690970003,
  posted: 690970004,
};
const estimated = 690970000;
const used = 690970001;
const productTypes = { Inventory: 690970000, NonInventory: 690970001, Service: 690970002 };

interface ProductLine {
  product: string;
  lineStatus: number;
  allocated: boolean;
  estimate: number;
  quantity: number;
}

interface ServiceLine {
  service: string;
  lineStatus: number;
  estimateMinutes: number;
  minutes: number;
}

const workOrders: {
  name: string;
  status: number;
  customer: string;
  summary: string;
  products: ProductLine[];
  services: ServiceLine[];
}[] = [
  {
    name: 'WO-00001',
    status: status.unscheduled,
    customer: 'US-001',
    summary: 'Replace air filters in the cold room',
    products: [{ product: 'P-1000', lineStatus: estimated, allocated: false, estimate: 2, quantity: 0 }],
    services: [{ service: 'S-3000', lineStatus: estimated, estimateMinutes: 60, minutes: 0 }],
  },
  {
    name: 'WO-00002',
    status: status.scheduled,
    customer: 'US-002',
    summary: 'Compressor swap',
    products: [{ product: 'P-1001', lineStatus: estimated, allocated: true, estimate: 1, quantity: 0 }],
    services: [{ service: 'S-3001', lineStatus: estimated, estimateMinutes: 120, minutes: 0 }],
  },
  {
    name: 'WO-00003',
    status: status.inProgress,
    customer: 'US-003',
    summary: 'Quarterly maintenance',
    products: [
      { product: 'P-1000', lineStatus: used, allocated: true, estimate: 2, quantity: 3 },
      { product: 'P-2000', lineStatus: estimated, allocated: false, estimate: 5, quantity: 0 },
    ],
    services: [{ service: 'S-3000', lineStatus: used, estimateMinutes: 60, minutes: 90 }],
  },
  {
    name: 'WO-00004',
    status: status.completed,
    customer: 'US-001',
    summary: 'Leak repair with locally bought sealant',
    products: [
      { product: 'P-1001', lineStatus: used, allocated: true, estimate: 1, quantity: 1 },
      { product: 'P-9000', lineStatus: used, allocated: false, estimate: 0, quantity: 2 },
    ],
    services: [{ service: 'S-3000', lineStatus: used, estimateMinutes: 120, minutes: 180 }],
  },
  {
    name: 'WO-00005',
    status: status.posted,
    customer: 'US-002',
    summary: 'Annual inspection',
    products: [{ product: 'P-2000', lineStatus: used, allocated: true, estimate: 4, quantity: 4 }],
    services: [{ service: 'S-3001', lineStatus: used, estimateMinutes: 60, minutes: 60 }],
  },
];

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
  const units = new Map(
    demoUnits.map((unit) => [
      unit.symbol,
      add('uoms', unit.symbol, { name: unit.name, msdyn_symbol: unit.symbol, quantity: 1 }),
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

  for (const order of workOrders) {
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
  syncWorkOrders(
    data,
    workOrders.map((order) => seedId(`msdyn_workorders:${order.name}`)),
  );

  seedAgreement(add, { account: accounts.get('US-001'), usd, units, products });
  return state;
}

function seedAgreement(
  add: (entitySet: string, key: string, values: Row) => string,
  refs: {
    account?: string;
    usd?: string;
    units: Map<string, string>;
    products: Map<string, { id: string; number: string; name: string; price: number; unit: string }>;
  },
): void {
  const agreement = add('msdyn_agreements', 'AGR-00001', {
    msdyn_name: 'AGR-00001',
    msdyn_description: 'Monthly preventive maintenance',
    msdyn_systemstatus: 690970001,
    msdyn_startdate: '2026-01-01',
    msdyn_enddate: '2026-12-31',
    msdyn_serviceaccount: refs.account,
    msdyn_billingaccount: refs.account,
    transactioncurrencyid: refs.usd,
  });
  const invoiceDates = [
    { date: '2026-01-31', status: 690970001 },
    { date: '2026-02-28', status: 690970000 },
    { date: '2026-03-31', status: 690970000 },
  ];
  for (const invoiceDate of invoiceDates) {
    add('msdyn_agreementinvoicedates', `AGR-00001:${invoiceDate.date}`, {
      msdyn_name: invoiceDate.date,
      msdyn_agreement: agreement,
      msdyn_invoicedate: invoiceDate.date,
      msdyn_invoicestatus: invoiceDate.status,
    });
  }
  const lines = [
    { product: 'P-2000', quantity: 1 },
    { product: 'S-3000', quantity: 2 },
  ].flatMap((line) => {
    const product = refs.products.get(line.product);
    return product ? [{ ...line, product, amount: product.price * line.quantity }] : [];
  });
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  const invoice = add('invoices', 'INV-00001', {
    name: 'AGR-00001 January 2026',
    invoicenumber: 'INV-00001',
    customerid: refs.account,
    msdyn_agreement: agreement,
    transactioncurrencyid: refs.usd,
    totallineitemamount: total,
    totalamount: total,
    totaltax: 0,
    totaldiscountamount: 0,
    msdynce_invoicedate: '2026-01-31',
    msdynce_haslineswithagreementorigin: true,
  });
  lines.forEach(({ product, quantity, amount }, index) => {
    add('msdyn_agreementinvoiceproducts', `AGR-00001:${product.number}`, {
      msdyn_name: product.name,
      msdyn_agreement: agreement,
      msdyn_product: product.id,
      msdyn_unit: refs.units.get(product.unit),
      msdyn_quantity: quantity,
      msdyn_priceperunit: product.price,
      transactioncurrencyid: refs.usd,
    });
    add('invoicedetails', `INV-00001:${index + 1}`, {
      productdescription: product.name,
      lineitemnumber: index + 1,
      invoiceid: invoice,
      productid: product.id,
      uomid: refs.units.get(product.unit),
      quantity,
      priceperunit: product.price,
      baseamount: amount,
      extendedamount: amount,
      manualdiscountamount: 0,
      tax: 0,
      msdynce_hasagreementorigin: true,
      transactioncurrencyid: refs.usd,
    });
  });
}
