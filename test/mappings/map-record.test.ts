import { mapRecord, RecordMappingError, requiredLookups, sourceFields } from '../../mappings/engine';
import type { Task } from '../../mappings/project/schema';
import { taskSchema } from '../../mappings/project/schema';

const task = (fieldMaps: unknown[], extra: Record<string, unknown> = {}): Task =>
  taskSchema.parse({
    name: 'Test',
    direction: 'fieldServiceToFinance',
    source: 'msdyn_workorders',
    destination: 'CDSSalesOrderHeaders',
    key: ['dataAreaId', 'SalesOrderNumber'],
    fieldMaps: [{ target: 'SalesOrderNumber', source: 'msdyn_name' }, ...fieldMaps],
    ...extra,
  });

const record = {
  msdyn_name: 'WO-1',
  msdyn_city: ' Redmond ',
  msdyn_postalcode: '98052',
  msdyn_systemstatus: 690970001,
};

describe('mapRecord', () => {
  test('copies, sets constants, applies value maps and transform pipelines', () => {
    const payload = mapRecord(
      task([
        { target: 'City', source: 'msdyn_city', transforms: ['trim', { truncate: 4 }] },
        { target: 'Origin', constant: 'WorkOrderIntegration' },
        { target: 'Status', source: 'msdyn_systemstatus', valueMap: { '690970001': 'OpenScheduled' } },
        {
          target: 'Address',
          concatenate: ['msdyn_postalcode', 'msdyn_city', 'msdyn_missing'],
          separator: '/',
        },
      ]),
      record,
    );
    expect(payload.values).toEqual({
      SalesOrderNumber: 'WO-1',
      City: 'Redm',
      Origin: 'WorkOrderIntegration',
      Status: 'OpenScheduled',
      Address: '98052/ Redmond ',
    });
    expect(payload.key).toEqual({ SalesOrderNumber: 'WO-1' });
  });

  test('a default fills an empty value, but not a present one', () => {
    const mapped = task([{ target: 'Group', source: 'msdyn_group', default: '10' }]);
    expect(mapRecord(mapped, { ...record, msdyn_group: null }).values.Group).toBe('10');
    expect(mapRecord(mapped, { ...record, msdyn_group: '' }).values.Group).toBe('10');
    expect(mapRecord(mapped, { ...record, msdyn_group: '30' }).values.Group).toBe('30');
  });

  test('a column absent from the record is left out; an explicit null is sent', () => {
    const mapped = task([{ target: 'City', source: 'msdyn_city' }]);
    expect(mapRecord(mapped, { msdyn_name: 'WO-1' }).values).not.toHaveProperty('City');
    expect(mapRecord(mapped, { msdyn_name: 'WO-1', msdyn_city: null }).values.City).toBeNull();
  });

  test('a column named like an object property is read from the record only', () => {
    const mapped = task([
      { target: 'City', source: 'constructor' },
      { target: 'Note', concatenate: ['toString', 'msdyn_name'] },
      {
        target: 'Customer',
        related: { lookup: 'msdyn_serviceaccount', entity: 'accounts', field: 'valueOf' },
      },
    ]);
    const payload = mapRecord(
      mapped,
      { msdyn_name: 'WO-1', _msdyn_serviceaccount_value: 'a1' },
      {
        msdyn_serviceaccount: { accountnumber: 'C1' },
      },
    );
    expect(payload.values).toEqual({ SalesOrderNumber: 'WO-1', Note: 'WO-1' });
  });

  test('an unmapped value fails the record, or is left out when the map says omit', () => {
    const valueMap = { '690970001': 'OpenScheduled' };
    const strict = task([{ target: 'Status', source: 'msdyn_systemstatus', valueMap }]);
    const lenient = task([{ target: 'Status', source: 'msdyn_systemstatus', valueMap, unmapped: 'omit' }]);
    const other = { ...record, msdyn_systemstatus: 690970003 };
    expect(() => mapRecord(strict, other)).toThrow(RecordMappingError);
    expect(() => mapRecord(strict, other)).toThrow(
      'task Test, field Status: value 690970003 is not in the value map',
    );
    expect(mapRecord(lenient, other).values).not.toHaveProperty('Status');
  });

  test('reads related records by lookup; a null lookup gives null; a missing one is an error', () => {
    const mapped = task([
      {
        target: 'Customer',
        related: { lookup: 'msdyn_serviceaccount', entity: 'accounts', field: 'accountnumber' },
      },
    ]);
    expect(
      mapRecord(mapped, record, { msdyn_serviceaccount: { accountnumber: 'C-1' } }).values.Customer,
    ).toBe('C-1');
    expect(mapRecord(mapped, record, { msdyn_serviceaccount: null }).values.Customer).toBeNull();
    expect(() => mapRecord(mapped, record, {})).toThrow(
      'the record behind lookup msdyn_serviceaccount was not supplied',
    );
  });

  test('a bound target becomes a lookup binding, and may be part of the key', () => {
    const mapped = taskSchema.parse({
      name: 'Lines',
      direction: 'financeToFieldService',
      source: 'SalesInvoiceLines',
      destination: 'invoicedetails',
      key: ['invoiceid', 'lineitemnumber'],
      fieldMaps: [
        {
          target: 'invoiceid',
          source: 'InvoiceNumber',
          bind: { entity: 'invoices', field: 'invoicenumber' },
        },
        { target: 'lineitemnumber', source: 'LineCreationSequenceNumber' },
      ],
    });
    const payload = mapRecord(mapped, { InvoiceNumber: 'INV-1', LineCreationSequenceNumber: 2 });
    expect(payload.bindings).toEqual({
      invoiceid: { entity: 'invoices', field: 'invoicenumber', value: 'INV-1' },
    });
    expect(payload.values).toEqual({ lineitemnumber: 2 });
    expect(payload.key).toEqual({ invoiceid: 'INV-1', lineitemnumber: 2 });
  });

  test('a record without a key value is refused', () => {
    expect(() => mapRecord(task([]), { msdyn_name: null })).toThrow(
      'key field SalesOrderNumber has no value',
    );
  });

  test('a transform failure names task, field and transform', () => {
    const mapped = task([{ target: 'Hours', source: 'msdyn_name', transforms: ['minutesToHours'] }]);
    expect(() => mapRecord(mapped, record)).toThrow(
      'task Test, field Hours: minutesToHours: minutesToHours needs a number',
    );
  });
});

describe('what a flow fetches for a task', () => {
  const mapped = task(
    [
      {
        target: 'Ordering',
        related: { lookup: 'msdyn_serviceaccount', entity: 'accounts', field: 'accountnumber' },
      },
      { target: 'Name', related: { lookup: 'msdyn_serviceaccount', entity: 'accounts', field: 'name' } },
      {
        target: 'Currency',
        related: {
          lookup: 'transactioncurrencyid',
          entity: 'transactioncurrencies',
          field: 'isocurrencycode',
        },
      },
      { target: 'Address', concatenate: ['msdyn_address1', 'msdyn_city'] },
    ],
    {
      filter: '(msdyn_systemstatus ne 690970005) and (msdynce_headersystemstatus eq 1)',
      parent: {
        task: 'Header',
        lookup: 'msdyn_workorder',
        mirroredFields: { msdynce_headersystemstatus: 'msdyn_systemstatus' },
      },
    },
  );

  test('requiredLookups groups the related columns by lookup', () => {
    expect(requiredLookups(mapped)).toEqual([
      { lookup: 'msdyn_serviceaccount', entity: 'accounts', fields: ['accountnumber', 'name'] },
      { lookup: 'transactioncurrencyid', entity: 'transactioncurrencies', fields: ['isocurrencycode'] },
    ]);
  });

  test('sourceFields lists the columns to select, without those mirrored from the header', () => {
    expect(sourceFields(mapped)).toEqual([
      'msdyn_name',
      '_msdyn_serviceaccount_value',
      '_transactioncurrencyid_value',
      'msdyn_address1',
      'msdyn_city',
      'msdyn_systemstatus',
    ]);
  });
});
