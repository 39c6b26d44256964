import * as dataverse from '../../connectors/entities/dataverse';
import { type DataverseTable, workOrders, WorkOrderSystemStatus } from '../../connectors/entities/dataverse';
import * as finance from '../../connectors/entities/finance';
import {
  FieldServiceProductType,
  type FinanceEntity,
  releasedProducts,
} from '../../connectors/entities/finance';

const workOrderRow = {
  '@odata.etag': 'W/"502186"',
  msdyn_workorderid: '5a1c3f4e-0b8a-ee11-8179-000d3a5b1c2d',
  msdyn_name: "WO-00042 O'Brien",
  msdyn_systemstatus: WorkOrderSystemStatus.OpenScheduled,
  'msdyn_systemstatus@OData.Community.Display.V1.FormattedValue': 'Open - Scheduled',
  _msdyn_serviceaccount_value: '7b1c3f4e-0b8a-ee11-8179-000d3a5b1c2d',
  '_msdyn_serviceaccount_value@OData.Community.Display.V1.FormattedValue': 'Fourth Coffee',
  '_msdyn_serviceaccount_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
  _msdyn_billingaccount_value: null,
};

describe('entity schemas', () => {
  it('accept a Dataverse row with annotations and keep them', () => {
    const row = workOrders.schema.parse(workOrderRow);
    expect(row.msdyn_name).toBe("WO-00042 O'Brien");
    expect(row['msdyn_systemstatus@OData.Community.Display.V1.FormattedValue']).toBe('Open - Scheduled');
  });

  it('reject a Dataverse row missing a column the product relies on', () => {
    const { msdyn_systemstatus: _dropped, ...withoutStatus } = workOrderRow;
    const result = workOrders.schema.safeParse(withoutStatus);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['msdyn_systemstatus']);
  });

  it('accept F&O enum members by name and reject unknown members', () => {
    const record = {
      '@odata.etag': 'W/"JzEsNjg3MTk0Nzk4MzUn"',
      dataAreaId: 'usmf',
      ProductNumber: 'D0001',
      ProductName: 'Mid-Range Speaker',
      FieldServiceProductType: 'Inventory',
      SalesUnitSymbol: 'ea',
      ExtraField: '',
    };
    expect(releasedProducts.schema.parse(record).FieldServiceProductType).toBe(
      FieldServiceProductType.members[0],
    );
    expect(releasedProducts.schema.safeParse({ ...record, FieldServiceProductType: 690970000 }).success).toBe(
      false,
    );
  });
});

describe('every entity schema the connectors define', () => {
  const isTable = (value: unknown): value is DataverseTable =>
    typeof value === 'object' && value !== null && 'entitySet' in value && 'primaryKey' in value;
  const isEntity = (value: unknown): value is FinanceEntity =>
    typeof value === 'object' && value !== null && 'entitySet' in value && 'keys' in value;
  const tables = Object.values<unknown>(dataverse).filter(isTable);
  const entities = Object.values<unknown>(finance).filter(isEntity);
  const extras = {
    new_customerpo: 'PO-1',
    'new_customerpo@OData.Community.Display.V1.FormattedValue': 'PO-1',
    '@odata.context': 'https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#x/$entity',
  };
  const issuesOf = (schema: DataverseTable['schema']) => schema.safeParse(extras).error?.issues ?? [];

  it('covers the records the flows read and write', () => {
    expect(tables.map((table) => table.entitySet)).toEqual(
      expect.arrayContaining([
        'msdyn_workorders',
        'msdyn_workorderproducts',
        'msdyn_workorderservices',
        'products',
        'accounts',
        'invoices',
        'invoicedetails',
        'msdyn_agreementinvoicedates',
        'msdyn_agreementinvoiceproducts',
        'msdyn_warehouses',
        'msdyn_inventoryjournals',
        'msdyn_purchaseorders',
        'msdyn_purchaseorderproducts',
        'msdyn_purchaseorderreceipts',
        'msdyn_purchaseorderreceiptproducts',
      ]),
    );
    expect(entities.map((entity) => entity.entitySet)).toEqual(
      expect.arrayContaining([
        'CustomersV3',
        'SellableReleasedProducts',
        'CDSSalesOrderHeaders',
        'CDSSalesOrderLines',
        'SalesInvoiceHeadersV2',
        'SalesInvoiceLines',
        'CDSFreeTextInvoiceHeaders',
        'CDSFreeTextInvoiceLines',
        'Warehouses',
        'WarehousesOnHandV2',
        'InventoryAdjustmentJournalHeaders',
        'InventoryTransferJournalHeaders',
        'VendorsV2',
        'PurchaseOrderHeadersV2',
        'ProductReceiptHeaders',
      ]),
    );
  });

  it.each(tables.map((table) => [table.entitySet, table] as const))(
    '%s lets unknown columns and annotations through and requires its ETag and primary key',
    (_name, table) => {
      const issues = issuesOf(table.schema);
      expect(issues.filter((issue) => issue.code === 'unrecognized_keys')).toEqual([]);
      expect(issues.map((issue) => issue.path[0])).toEqual(
        expect.arrayContaining(['@odata.etag', table.primaryKey]),
      );
    },
  );

  it.each(entities.map((entity) => [entity.entitySet, entity] as const))(
    '%s lets unknown fields and annotations through and requires its company (unless shared) and keys',
    (_name, entity) => {
      const issues = issuesOf(entity.schema);
      expect(issues.filter((issue) => issue.code === 'unrecognized_keys')).toEqual([]);
      // LegalEntities lists the companies themselves: shared across companies, its records have no dataAreaId.
      const company = entity === finance.legalEntities ? [] : ['dataAreaId'];
      expect(issues.map((issue) => issue.path[0])).toEqual(
        expect.arrayContaining([...company, ...entity.keys]),
      );
    },
  );
});
