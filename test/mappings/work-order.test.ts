import { WorkOrderLineStatus, WorkOrderSystemStatus } from '../../connectors/entities/dataverse';
import type { DocumentMapping, SourceValues } from '../../mappings/engine';
import { mapWorkOrder } from '../../mappings/engine';
import { loadMappingProject } from '../../mappings/project/loader';
import { fetchRelated, productLine, serviceLine, workOrder } from './support/records';
import { connectorCatalog } from '../../connectors/entities/catalog';

const project = loadMappingProject('work-orders-to-sales-orders', connectorCatalog());
const { Estimated, Used } = WorkOrderLineStatus;
const { OpenUnscheduled, OpenScheduled, OpenInProgress, OpenCompleted, ClosedPosted, ClosedCanceled } =
  WorkOrderSystemStatus;

function map(header: SourceValues, products: SourceValues[], services: SourceValues[] = []): DocumentMapping {
  const source = (entity: string, record: SourceValues) => ({
    record,
    related: fetchRelated(project, entity, record),
  });
  return mapWorkOrder(project, {
    header: source('msdyn_workorders', header),
    lines: {
      msdyn_workorderproducts: products.map((line) => source('msdyn_workorderproducts', line)),
      msdyn_workorderservices: services.map((line) => source('msdyn_workorderservices', line)),
    },
  });
}

function syncedLines(mapping: DocumentMapping) {
  if (!mapping.synced) throw new Error(`expected the work order to sync: ${mapping.reason}`);
  return mapping.lines;
}

/** The single line sent for one product or service line: which task sent it, and its quantity. */
function sentLine(mapping: DocumentMapping) {
  const lines = syncedLines(mapping);
  expect(lines).toHaveLength(1);
  return { task: lines[0].task, quantity: lines[0].values.OrderedSalesQuantity };
}

test("the tasks and their filters are Microsoft's, verbatim", () => {
  const header = '(msdynce_headersystemstatus ne 690970005) and (msdynce_headersystemstatus ne 690970000)';
  const onlyExternal = '(msdynce_orderhasexternalmaintainedproductsonly eq true)';
  expect(project.tasks.map((task) => [task.name, task.filter])).toEqual([
    [
      'WorkOrderHeader',
      '(msdyn_systemstatus ne 690970005) and (msdyn_systemstatus ne 690970000) and (msdynce_hasexternallymaintainedproductsonly eq true)',
    ],
    [
      'WorkOrderServiceLineEstimate',
      `${header} and ${onlyExternal} and (msdyn_linestatus eq 690970000) and (msdynce_headersystemstatus ne 690970004)`,
    ],
    [
      'WorkOrderServiceLineUsed',
      `${header} and ${onlyExternal} and ((msdyn_linestatus eq 690970001) or (msdynce_headersystemstatus eq 690970004))`,
    ],
    [
      'WorkOrderProductLineEstimate',
      `${header} and ${onlyExternal} and (msdyn_linestatus eq 690970000) and (msdynce_headersystemstatus ne 690970004) and (msdyn_allocated eq true)`,
    ],
    [
      'WorkOrderProductLineUsed',
      `${header} and ${onlyExternal} and ((msdyn_linestatus eq 690970001) or (msdynce_headersystemstatus eq 690970004) or (msdyn_allocated ne true))`,
    ],
  ]);
});

describe('work order → sales order: the documented Estimated/Used decision table', () => {
  const open = [OpenScheduled, OpenInProgress, OpenCompleted];

  test.each(open)('header status %p, product Estimated and allocated → Estimated', (status) => {
    const line = productLine({ msdyn_linestatus: Estimated, msdyn_allocated: true });
    expect(sentLine(map(workOrder({ msdyn_systemstatus: status }), [line]))).toEqual({
      task: 'WorkOrderProductLineEstimate',
      quantity: 5,
    });
  });

  test.each(open)('header status %p, product Estimated, not allocated → Used (may be 0)', (status) => {
    const line = productLine({ msdyn_linestatus: Estimated, msdyn_allocated: false });
    expect(sentLine(map(workOrder({ msdyn_systemstatus: status }), [line]))).toEqual({
      task: 'WorkOrderProductLineUsed',
      quantity: 0,
    });
  });

  test.each(open.flatMap((status) => [true, false].map((allocated) => [status, allocated] as const)))(
    'header status %p, product Used, allocated %p → Used',
    (status, allocated) => {
      const line = productLine({ msdyn_linestatus: Used, msdyn_allocated: allocated, msdyn_quantity: 6 });
      expect(sentLine(map(workOrder({ msdyn_systemstatus: status }), [line]))).toEqual({
        task: 'WorkOrderProductLineUsed',
        quantity: 6,
      });
    },
  );

  test.each([
    [Estimated, true],
    [Estimated, false],
    [Used, true],
    [Used, false],
  ])('Closed-Posted, product line status %p allocated %p → Used', (lineStatus, allocated) => {
    const line = productLine({ msdyn_linestatus: lineStatus, msdyn_allocated: allocated, msdyn_quantity: 4 });
    expect(sentLine(map(workOrder({ msdyn_systemstatus: ClosedPosted }), [line]))).toEqual({
      task: 'WorkOrderProductLineUsed',
      quantity: 4,
    });
  });

  test.each(open.flatMap((status) => [true, false].map((allocated) => [status, allocated] as const)))(
    'services ignore Allocated: header %p, Estimated service (allocated %p) → Estimated',
    (status, allocated) => {
      const line = serviceLine({ msdyn_linestatus: Estimated, msdyn_allocated: allocated });
      expect(sentLine(map(workOrder({ msdyn_systemstatus: status }), [], [line]))).toEqual({
        task: 'WorkOrderServiceLineEstimate',
        quantity: 2,
      });
    },
  );

  test.each([Estimated, Used])('Closed-Posted service line with status %p → Used', (lineStatus) => {
    const line = serviceLine({ msdyn_linestatus: lineStatus, msdyn_duration: 45 });
    expect(sentLine(map(workOrder({ msdyn_systemstatus: ClosedPosted }), [], [line]))).toEqual({
      task: 'WorkOrderServiceLineUsed',
      quantity: 0.75,
    });
  });

  test.each([
    ['Open-Unscheduled', OpenUnscheduled],
    ['Closed-Canceled', ClosedCanceled],
  ])('a work order in status %s does not sync', (_name, status) => {
    const mapping = map(workOrder({ msdyn_systemstatus: status }), [productLine()], [serviceLine()]);
    expect(mapping.synced).toBe(false);
    expect(mapping).toMatchObject({ reason: expect.stringContaining('WorkOrderHeader filter excludes it') });
  });

  test('a work order with products not maintained in F&O does not sync', () => {
    const header = workOrder({ msdynce_hasexternallymaintainedproductsonly: false });
    expect(map(header, [productLine()]).synced).toBe(false);
  });
});

describe('work order → sales order: the documented worked example', () => {
  test('product Est 5 / Used 0: not allocated sends 0, allocated sends 5, used 6 sends 6', () => {
    const header = workOrder();
    const notAllocated = productLine({ msdyn_allocated: false });
    const allocated = { ...notAllocated, msdyn_allocated: true };
    const used = { ...allocated, msdyn_linestatus: Used, msdyn_quantity: 6 };
    expect(sentLine(map(header, [notAllocated])).quantity).toBe(0);
    expect(sentLine(map(header, [allocated])).quantity).toBe(5);
    expect(sentLine(map(header, [used])).quantity).toBe(6);
  });

  test('service Est 2 h sends 2 h until it is Used at 1.5 h, then 1.5 h', () => {
    const header = workOrder();
    const estimated = serviceLine({ msdyn_estimateduration: 120, msdyn_duration: 0 });
    const used = { ...estimated, msdyn_linestatus: Used, msdyn_duration: 90 };
    expect(sentLine(map(header, [], [estimated])).quantity).toBe(2);
    expect(sentLine(map(header, [], [used])).quantity).toBe(1.5);
  });

  test('a line moving from Estimated to Used keeps its sales order line key', () => {
    const header = workOrder();
    const estimated = productLine({ msdyn_allocated: true, msdyn_lineorder: 3 });
    const used = { ...estimated, msdyn_linestatus: Used, msdyn_quantity: 6 };
    const [before] = syncedLines(map(header, [estimated]));
    const [after] = syncedLines(map(header, [used]));
    expect(before.task).not.toBe(after.task);
    expect(after.key).toEqual(before.key);
    expect(after.key).toEqual({ SalesOrderNumber: 'WO-00042', LineCreationSequenceNumber: 3 });
  });
});

describe('work order → sales order: payloads', () => {
  test('the header carries the order number, customers, currency, status and origin', () => {
    const mapping = map(workOrder({ msdyn_systemstatus: OpenInProgress }), []);
    expect(mapping).toMatchObject({
      synced: true,
      header: {
        entity: 'CDSSalesOrderHeaders',
        key: { SalesOrderNumber: 'WO-00042' },
        values: {
          SalesOrderNumber: 'WO-00042',
          OrderingCustomerAccountNumber: 'C-1001',
          InvoiceCustomerAccountNumber: 'C-2002',
          CurrencyCode: 'USD',
          ExternalWorkOrderStatus: 'OpenInProgress',
          SalesOrderOriginType: 'WorkOrderIntegration',
        },
      },
    });
  });

  test('product lines keep positive line numbers, service lines get negative ones', () => {
    const lines = syncedLines(
      map(workOrder(), [productLine({ msdyn_lineorder: 1 })], [serviceLine({ msdyn_lineorder: 2 })]),
    );
    expect(lines.map((line) => [line.task, line.values.LineCreationSequenceNumber])).toEqual([
      ['WorkOrderServiceLineEstimate', -2],
      ['WorkOrderProductLineUsed', 1],
    ]);
  });

  test('a product line sends product, unit, warehouse, prices and currency from its related records', () => {
    const [line] = syncedLines(map(workOrder(), [productLine({ msdyn_allocated: true })]));
    expect(line).toEqual({
      task: 'WorkOrderProductLineEstimate',
      entity: 'CDSSalesOrderLines',
      key: { SalesOrderNumber: 'WO-00042', LineCreationSequenceNumber: 1 },
      values: {
        SalesOrderNumber: 'WO-00042',
        LineCreationSequenceNumber: 1,
        ProductNumber: 'P-100',
        OrderedSalesQuantity: 5,
        SalesPrice: 100,
        LineDiscountAmount: 0,
        SalesUnitSymbol: 'ea',
        ShippingWarehouseId: 'WH-13',
        LineDescription: 'Compressor service',
        CurrencyCode: 'USD',
      },
      bindings: {},
    });
  });

  test('a used line sends the used price and discount', () => {
    const [line] = syncedLines(
      map(workOrder(), [productLine({ msdyn_linestatus: Used, msdyn_quantity: 2 })]),
    );
    expect(line.values).toMatchObject({ OrderedSalesQuantity: 2, SalesPrice: 95, LineDiscountAmount: 5 });
  });
});
