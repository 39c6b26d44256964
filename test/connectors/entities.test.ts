import { workOrders, WorkOrderSystemStatus } from '../../connectors/entities/dataverse';
import { FieldServiceProductType, releasedProducts } from '../../connectors/entities/finance';

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
