import { purchaseOrderProductSchema, purchaseOrderSchema } from '../../connectors/entities/dataverse';
import {
  productReceiptHeaderSchema,
  productReceiptLineSchema,
  purchaseOrderHeaderSchema,
  purchaseOrderLineSchema,
  vendorSchema,
} from '../../connectors/entities/finance';
import { findTask, mapHeaderWithLines, mapRecord } from '../../mappings/engine';
import { loadMappingProject } from '../../mappings/project/loader';
import { id } from './support/records';
import { connectorCatalog } from '../../connectors/entities/catalog';

const project = loadMappingProject('standard', connectorCatalog());
const task = (name: string) => findTask(project, (candidate) => candidate.name === name, name);
const etag = { '@odata.etag': 'W/"3"' };
const fo = { dataAreaId: 'usmf' };

describe('Field Service purchase order → F&O', () => {
  const orderId = id();
  const header = purchaseOrderSchema.parse({
    ...etag,
    msdyn_purchaseorderid: orderId,
    msdyn_name: 'PO-1',
    msdyn_systemstatus: 690970001,
    _msdyn_vendor_value: id(),
    _msdyn_receivetowarehouse_value: id(),
    _transactioncurrencyid_value: id(),
  });
  const line = purchaseOrderProductSchema.parse({
    ...etag,
    msdyn_purchaseorderproductid: id(),
    _msdyn_purchaseorder_value: orderId,
    msdyn_lineorder: 2,
    _msdyn_product_value: id(),
    msdyn_quantity: 4,
    _msdyn_unit_value: id(),
    _msdyn_associatetowarehouse_value: id(),
    msdyn_unitcost: 99,
  });
  const document = {
    header: {
      record: header,
      related: {
        msdyn_vendor: { accountnumber: 'V-1000' },
        msdyn_receivetowarehouse: { msdyn_warehouseidentifier: '11' },
        transactioncurrencyid: { isocurrencycode: 'USD' },
      },
    },
    lines: {
      msdyn_purchaseorderproducts: [
        {
          record: line,
          related: {
            msdyn_product: { productnumber: 'P-1000' },
            msdyn_unit: { msdyn_symbol: 'ea' },
            msdyn_associatetowarehouse: { msdyn_warehouseidentifier: '13' },
          },
        },
      ],
    },
  };

  test('a submitted order maps header and lines by the dual-write maps; Field Service prices are not sent', () => {
    const mapping = mapHeaderWithLines(project, task('PurchaseOrderHeader'), document);
    if (!mapping.synced) throw new Error(mapping.reason);
    expect(mapping.header.values).toEqual({
      PurchaseOrderNumber: 'PO-1',
      OrderVendorAccountNumber: 'V-1000',
      DefaultReceivingWarehouseId: '11',
      CurrencyCode: 'USD',
    });
    expect(mapping.lines.map((payload) => payload.values)).toEqual([
      {
        PurchaseOrderNumber: 'PO-1',
        LineNumber: 2,
        ProductNumber: 'P-1000',
        OrderedPurchaseQuantity: 4,
        PurchaseUnitSymbol: 'ea',
        ReceivingWarehouseId: '13',
      },
    ]);
    for (const payload of [mapping.header, ...mapping.lines]) {
      expect(() =>
        (payload.entity === 'PurchaseOrderHeadersV2'
          ? purchaseOrderHeaderSchema
          : purchaseOrderLineSchema
        ).parse({
          ...fo,
          ...payload.values,
        }),
      ).not.toThrow();
    }
  });

  test('a Draft order does not sync', () => {
    const draft = {
      ...document,
      header: { ...document.header, record: { ...header, msdyn_systemstatus: 690970000 } },
    };
    expect(mapHeaderWithLines(project, task('PurchaseOrderHeader'), draft)).toMatchObject({ synced: false });
  });
});

describe('F&O → Field Service', () => {
  const order = (DocumentApprovalStatus: string, PurchaseOrderStatus = 'Backorder') =>
    mapRecord(
      task('PurchaseOrderHeaderStatus'),
      purchaseOrderHeaderSchema.parse({
        ...fo,
        PurchaseOrderNumber: 'PO-1',
        OrderVendorAccountNumber: 'V-1000',
        CurrencyCode: 'USD',
        DocumentApprovalStatus,
        PurchaseOrderStatus,
      }),
    ).values;

  test.each([
    ['Draft', null],
    ['InReview', null],
    ['Approved', 690970000],
    ['InExternalReview', 690970000],
    ['Confirmed', 690970000],
    ['Finalized', 690970000],
    ['Rejected', 690970001],
  ])('approval %s → Field Service approval %s', (status, expected) => {
    expect(order(status).msdyn_approvalstatus).toBe(expected);
  });

  test('an open order is Submitted, a cancelled one Canceled, a received one Products Received', () => {
    expect(order('Approved').msdyn_systemstatus).toBe(690970001);
    expect(order('Approved', 'Canceled').msdyn_systemstatus).toBe(690970002);
    expect(order('Approved', 'Received').msdyn_systemstatus).toBe(690970003);
  });

  test("F&O's price, discount and line amount, and the line status, flow back", () => {
    const payload = mapRecord(
      task('PurchaseOrderLinePrices'),
      purchaseOrderLineSchema.parse({
        ...fo,
        PurchaseOrderNumber: 'PO-1',
        LineNumber: 1,
        ProductNumber: 'P-1000',
        OrderedPurchaseQuantity: 10,
        PurchasePrice: 18,
        LineDiscountPercentage: 5,
        LineDiscountAmount: 0,
        LineAmount: 171,
        PurchaseOrderLineStatus: 'Canceled',
      }),
    );
    expect(payload.values).toMatchObject({
      msdyn_lineorder: 1,
      msdyn_unitcost: 18,
      msdyn_discountpercentage: 5,
      msdyn_lineamount: 171,
      msdyn_itemstatus: 690970002,
    });
    expect(payload.bindings.msdyn_purchaseorder).toEqual({
      entity: 'msdyn_purchaseorders',
      field: 'msdyn_name',
      value: 'PO-1',
    });
  });

  test('a product receipt and its lines keep their F&O RecordId', () => {
    const header = mapRecord(
      task('ProductReceiptHeader'),
      productReceiptHeaderSchema.parse({
        ...fo,
        RecordId: 5637144600,
        ProductReceiptNumber: 'PR-000001',
        ProductReceiptDate: '2026-03-02T00:00:00Z', // a date: F&O gives it at midnight UTC
        PurchaseOrderNumber: 'PO-1',
        OrderVendorAccountNumber: 'V-1000',
      }),
    );
    expect(header.values).toEqual({
      msdyn_recordid: 5637144600,
      msdyn_name: 'PR-000001',
      msdyn_datereceived: '2026-03-02',
    });
    const line = mapRecord(
      task('ProductReceiptLine'),
      productReceiptLineSchema.parse({
        ...fo,
        RecordId: 5637144601,
        ProductReceiptHeaderRecordId: 5637144600,
        PurchaseOrderLineNumber: 1,
        ProductNumber: 'P-1000',
        ReceivedPurchaseQuantity: 4,
        ReceivingWarehouseId: '11',
      }),
    );
    expect(line.values).toEqual({ msdyn_recordid: 5637144601, msdyn_quantity: 4 });
    expect(Object.keys(line.bindings).sort()).toEqual([
      'msdyn_associatetowarehouse',
      'msdyn_product',
      'msdyn_purchaseorderproduct',
      'msdyn_purchaseorderreceipt',
    ]);
  });

  test('a vendor becomes an account of type Vendor', () => {
    const payload = mapRecord(
      task('Vendors - Accounts'),
      vendorSchema.parse({
        ...fo,
        VendorAccountNumber: 'V-2000',
        VendorOrganizationName: 'Fabrikam Parts',
        CurrencyCode: 'USD',
      }),
    );
    expect(payload.values).toEqual({ accountnumber: 'V-2000', name: 'Fabrikam Parts', customertypecode: 11 });
    expect(payload.bindings.transactioncurrencyid).toMatchObject({ value: 'USD' });
  });
});
