import {
  accountSchema,
  invoiceDetailSchema,
  invoiceSchema,
  productSchema,
} from '../../connectors/entities/dataverse';
import {
  customerSchema,
  freeTextInvoiceHeaderSchema,
  freeTextInvoiceLineSchema,
  releasedProductSchema,
  releasedProductV2Schema,
  salesInvoiceHeaderSchema,
  salesInvoiceLineSchema,
} from '../../connectors/entities/finance';
import type { DestinationPayload } from '../../mappings/engine';
import { findTask, mapHeaderWithLines, mapRecord, RecordMappingError } from '../../mappings/engine';
import { loadMappingProject, shippedTemplates } from '../../mappings/project/loader';
import { id, ids } from './support/records';
import { connectorCatalog } from '../../connectors/entities/catalog';

const etag = { '@odata.etag': 'W/"7"' };
const usd = { transactioncurrencyid: { isocurrencycode: 'USD' } };

/** An F&O payload must be a record the connectors would accept for the destination entity. */
const asFinanceRecord = (payload: DestinationPayload) => ({ dataAreaId: 'usmf', ...payload.values });

function taskOf(template: string, name: string) {
  const project = loadMappingProject(template, connectorCatalog());
  return { project, task: findTask(project, (task) => task.name === name, `task ${name}`) };
}

test('every shipped template loads and validates against the connector schemas', () => {
  expect(shippedTemplates()).toEqual([
    'accounts-to-customers',
    'agreement-invoices-to-free-text-invoices',
    'field-service-products-to-finance',
    'finance-products-to-field-service',
    'inventory-adjustments-to-finance',
    'inventory-transfers-to-finance',
    'product-inventory-to-field-service',
    'product-receipts-to-field-service',
    'purchase-orders-to-finance',
    'sales-invoices-to-field-service',
    'standard',
    'vendors-to-field-service',
    'warehouses-to-field-service',
    'work-orders-to-sales-orders',
  ]);
  for (const template of shippedTemplates())
    expect(loadMappingProject(template, connectorCatalog()).tasks.length).toBeGreaterThan(0);
});

test('the standard project runs the templates in the documented order, products from Field Service', () => {
  const project = loadMappingProject('standard', connectorCatalog());
  expect(project.tasks.map((task) => task.name)).toEqual([
    'Accounts - Customers',
    'Products - Released products',
    'Warehouse',
    'Product inventory',
    'WorkOrderHeader',
    'WorkOrderServiceLineEstimate',
    'WorkOrderServiceLineUsed',
    'WorkOrderProductLineEstimate',
    'WorkOrderProductLineUsed',
    'Inventory adjustment journals',
    'Inventory Adjustments',
    'Inventory transfer journals',
    'Inventory Transfers',
    'Invoice headers',
    'Invoice lines',
    'SalesInvoiceHeader',
    'SalesInvoiceLine',
    'Vendors - Accounts',
    'Vendors - Vendors',
    'PurchaseOrderHeader',
    'PurchaseOrderLine',
    'PurchaseOrderHeaderStatus',
    'PurchaseOrderLinePrices',
    'ProductReceiptHeader',
    'ProductReceiptLine',
  ]);
});

describe('Accounts → Customers', () => {
  const { task } = taskOf('accounts-to-customers', 'Accounts - Customers');
  const account = accountSchema.parse({
    ...etag,
    accountid: id(),
    accountnumber: 'ACC-01000-BVRCPS',
    name: 'Contoso Pharmaceuticals',
    address1_line1: '1 Main St',
    address1_city: 'Redmond',
    telephone1: '555-0100',
    creditlimit: 50000,
    _transactioncurrencyid_value: ids.currency,
  });

  test('maps the account and applies the documented defaults', () => {
    const payload = mapRecord(task, account, usd);
    expect(payload.key).toEqual({ CustomerAccount: 'ACC-01000-BVRCPS' });
    expect(payload.values).toMatchObject({
      CustomerAccount: 'ACC-01000-BVRCPS',
      OrganizationName: 'Contoso Pharmaceuticals',
      CustomerGroupId: '10',
      IsExternallyMaintained: 'Yes',
      PartyType: 'Organization',
      DeliveryAddressStreet: '1 Main St',
      DeliveryAddressCity: 'Redmond',
      PrimaryContactPhone: '555-0100',
      SalesCurrencyCode: 'USD',
      CreditLimit: 50000,
    });
    expect(customerSchema.safeParse(asFinanceRecord(payload)).success).toBe(true);
  });
});

describe('Products Field Service → F&O', () => {
  const { task } = taskOf('field-service-products-to-finance', 'Products - Released products');
  const product = (type: number) =>
    productSchema.parse({
      ...etag,
      productid: id(),
      productnumber: 'P-100',
      name: 'Compressor',
      msdyn_fieldserviceproducttype: type,
      price: 250,
      _defaultuomid_value: ids.unit,
    });
  const related = { ...usd, defaultuomid: { name: 'Each' } };

  test.each([
    [690970000, 'Inventory'],
    [690970001, 'NonInventory'],
    [690970002, 'Service'],
  ])('product type %p becomes %p', (type, expected) => {
    const payload = mapRecord(task, product(type), related);
    expect(payload.key).toEqual({ ItemNumber: 'P-100' });
    expect(payload.values).toMatchObject({
      ProductNumber: 'P-100',
      ProductName: 'Compressor',
      FieldServiceProductType: expected,
      SalesUnitSymbol: 'ea',
      SalesPrice: 250,
      CurrencyCode: 'USD',
    });
    expect(releasedProductV2Schema.safeParse(asFinanceRecord(payload)).success).toBe(true);
  });

  test('an unknown product type fails the record instead of guessing', () => {
    expect(() => mapRecord(task, product(1), related)).toThrow(RecordMappingError);
  });
});

describe('Products F&O → Field Service', () => {
  const { task } = taskOf('finance-products-to-field-service', 'Products');
  const released = (type: string) =>
    releasedProductSchema.parse({
      dataAreaId: 'usmf',
      ProductNumber: 'P-100',
      ProductName: 'Compressor',
      FieldServiceProductType: type,
      SalesUnitSymbol: 'ea',
      SalesPrice: 250,
      CurrencyCode: 'USD',
    });

  test('maps the product type to its option value and binds unit group, unit and currency by name', () => {
    const payload = mapRecord(task, released('NonInventory'));
    expect(payload.key).toEqual({ productnumber: 'P-100' });
    expect(payload.values).toMatchObject({
      productnumber: 'P-100',
      name: 'Compressor',
      msdyn_fieldserviceproducttype: 690970001,
      price: 250,
      msdynce_isexternallymaintained: true,
    });
    expect(payload.bindings).toEqual({
      defaultuomscheduleid: { entity: 'uomschedules', field: 'name', value: 'Default unit' },
      defaultuomid: { entity: 'uoms', field: 'name', value: 'Each' },
      transactioncurrencyid: { entity: 'transactioncurrencies', field: 'isocurrencycode', value: 'USD' },
    });
  });

  test('NotAvailable has no documented value, so the product type is left unchanged', () => {
    expect(mapRecord(task, released('NotAvailable')).values).not.toHaveProperty(
      'msdyn_fieldserviceproducttype',
    );
  });
});

describe('Agreement invoices → Free text invoices', () => {
  const { project, task: headerTask } = taskOf('agreement-invoices-to-free-text-invoices', 'Invoice headers');
  const invoice = (agreementLines: boolean) =>
    invoiceSchema.parse({
      ...etag,
      invoiceid: id(),
      invoicenumber: 'INV-01001',
      _customerid_value: ids.serviceAccount,
      _transactioncurrencyid_value: ids.currency,
      msdynce_haslineswithagreementorigin: agreementLines,
      msdynce_invoicedate: '2026-11-30T08:00:00Z',
    });
  const line = (sequence: number, agreement: boolean) => ({
    record: invoiceDetailSchema.parse({
      ...etag,
      invoicedetailid: id(),
      _invoiceid_value: id(),
      _productid_value: ids.product,
      productdescription: 'Quarterly maintenance',
      quantity: 1,
      priceperunit: 400,
      extendedamount: 400,
      lineitemnumber: sequence,
      msdynce_hasagreementorigin: agreement,
    }),
  });
  const related = { ...usd, customerid: { accountnumber: 'C-1001' } };

  test('sends agreement lines with the default main account 401100, and skips other lines', () => {
    const mapping = mapHeaderWithLines(project, headerTask, {
      header: { record: invoice(true), related },
      lines: { invoicedetails: [line(1, true), line(2, false)] },
    });
    if (!mapping.synced) throw new Error(mapping.reason);
    expect(mapping.header.values).toEqual({
      ExternalInvoiceId: 'INV-01001',
      CustomerAccount: 'C-1001',
      InvoiceAccount: 'C-1001',
      InvoiceDate: '2026-11-30',
      CurrencyCode: 'USD',
      InvoiceOriginType: 'AgreementInvoiceIntegration',
    });
    expect(freeTextInvoiceHeaderSchema.safeParse(asFinanceRecord(mapping.header)).success).toBe(true);
    expect(mapping.lines).toHaveLength(1);
    expect(mapping.lines[0].key).toEqual({ ExternalInvoiceId: 'INV-01001', LineNumber: 1 });
    expect(mapping.lines[0].values).toMatchObject({
      Quantity: 1,
      UnitPrice: 400,
      MainAccountDisplayValue: '401100',
    });
    expect(freeTextInvoiceLineSchema.safeParse(asFinanceRecord(mapping.lines[0])).success).toBe(true);
  });

  test('an invoice without agreement lines does not sync', () => {
    const mapping = mapHeaderWithLines(project, headerTask, {
      header: { record: invoice(false), related },
      lines: { invoicedetails: [line(1, true)] },
    });
    expect(mapping.synced).toBe(false);
  });
});

describe('Sales invoices F&O → Field Service', () => {
  const header = taskOf('sales-invoices-to-field-service', 'SalesInvoiceHeader').task;
  const lineTask = taskOf('sales-invoices-to-field-service', 'SalesInvoiceLine').task;

  test('the header binds customer, order, currency and the price list of its currency', () => {
    const invoice = salesInvoiceHeaderSchema.parse({
      dataAreaId: 'usmf',
      InvoiceNumber: 'CIV-000123',
      InvoiceDate: '2026-11-30T00:00:00Z',
      LedgerVoucher: 'V-1',
      SalesOrderNumber: 'WO-00042',
      InvoiceCustomerAccountNumber: 'C-1001',
      CurrencyCode: 'USD',
      TotalInvoiceAmount: 595,
      TotalTaxAmount: 45,
    });
    const payload = mapRecord(header, invoice);
    expect(payload.key).toEqual({ invoicenumber: 'CIV-000123' });
    expect(payload.values).toEqual({
      invoicenumber: 'CIV-000123',
      name: 'CIV-000123',
      totalamount: 595,
      totaltax: 45,
    });
    expect(payload.bindings).toEqual({
      customerid: { entity: 'accounts', field: 'accountnumber', value: 'C-1001' },
      salesorderid: { entity: 'salesorders', field: 'ordernumber', value: 'WO-00042' },
      transactioncurrencyid: { entity: 'transactioncurrencies', field: 'isocurrencycode', value: 'USD' },
      pricelevelid: { entity: 'pricelevels', field: 'name', value: 'CRM Service USA (sample)' },
    });
  });

  test('a line is keyed by its invoice and sequence and binds product and unit', () => {
    const line = salesInvoiceLineSchema.parse({
      dataAreaId: 'usmf',
      InvoiceNumber: 'CIV-000123',
      InvoiceDate: '2026-11-30T00:00:00Z',
      LineCreationSequenceNumber: 1,
      ProductNumber: 'P-100',
      InvoicedQuantity: 2,
      SalesPrice: 250,
      SalesUnitSymbol: 'ea',
      LineAmount: 500,
    });
    const payload = mapRecord(lineTask, line);
    expect(payload.key).toEqual({ invoiceid: 'CIV-000123', lineitemnumber: 1 });
    expect(payload.values).toEqual({
      lineitemnumber: 1,
      quantity: 2,
      priceperunit: 250,
      extendedamount: 500,
    });
    expect(Object.keys(payload.bindings)).toEqual(['invoiceid', 'productid', 'uomid']);
  });
});
