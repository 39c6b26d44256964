import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { accountSchema, WorkOrderLineStatus } from '../../connectors/entities/dataverse';
import { customerSchema, releasedProductSchema } from '../../connectors/entities/finance';
import { findTask, mapRecord, mapWorkOrder } from '../../mappings/engine';
import { loadMappingProject } from '../../mappings/project/loader';
import type { MappingProject } from '../../mappings/project/merge';
import { fetchRelated, id, productLine, workOrder } from './support/records';
import { connectorCatalog } from '../../connectors/entities/catalog';

const fixture = (name: string) => path.join(__dirname, 'fixtures', name);
const taskNamed = (project: MappingProject, name: string) =>
  findTask(project, (task) => task.name === name, `task ${name}`);

function mapOneWorkOrder(project: MappingProject, header = workOrder(), products = [productLine()]) {
  const source = (entity: string, record: typeof header) => ({
    record,
    related: fetchRelated(project, entity, record),
  });
  const mapping = mapWorkOrder(project, {
    header: source('msdyn_workorders', header),
    lines: { msdyn_workorderproducts: products.map((line) => source('msdyn_workorderproducts', line)) },
  });
  if (!mapping.synced) throw new Error(mapping.reason);
  return mapping;
}

describe('a tenant project extending the standard one', () => {
  const project = loadMappingProject(fixture('contoso.yaml'), connectorCatalog());

  test('adds a custom field: the work order PO number reaches the sales order header', () => {
    const mapping = mapOneWorkOrder(project, workOrder({ new_customerpo: 'PO-7788' }));
    expect(mapping.header.values.CustomerRequisitionNumber).toBe('PO-7788');
    expect(
      mapOneWorkOrder(loadMappingProject('standard', connectorCatalog())).header.values,
    ).not.toHaveProperty('CustomerRequisitionNumber');
  });

  test('overrides a default: new customers get group 20 instead of 10, other rows unchanged', () => {
    const account = accountSchema.parse({
      '@odata.etag': 'W/"1"',
      accountid: id(),
      accountnumber: 'C-3003',
      name: 'Fabrikam',
    });
    const related = { transactioncurrencyid: null };
    const tenant = mapRecord(taskNamed(project, 'Accounts - Customers'), account, related).values;
    const standard = mapRecord(
      taskNamed(loadMappingProject('standard', connectorCatalog()), 'Accounts - Customers'),
      account,
      related,
    );
    expect(tenant.CustomerGroupId).toBe('20');
    expect(standard.values.CustomerGroupId).toBe('10');
    expect({ ...tenant, CustomerGroupId: '10' }).toEqual(standard.values);
  });

  test('adds a whole entity task: F&O customers flow to Field Service accounts', () => {
    const customer = customerSchema.parse({
      dataAreaId: 'usmf',
      CustomerAccount: 'C-3003',
      OrganizationName: 'Fabrikam',
      CustomerGroupId: '10',
    });
    expect(mapRecord(taskNamed(project, 'Customers - Accounts'), customer)).toEqual({
      task: 'Customers - Accounts',
      entity: 'accounts',
      key: { accountnumber: 'C-3003' },
      values: { accountnumber: 'C-3003', name: 'Fabrikam' },
      bindings: {},
    });
  });

  test('keeps every standard task and appends its own; each row remembers its file', () => {
    const standard = loadMappingProject('standard', connectorCatalog());
    expect(project.tasks.map((task) => task.name)).toEqual([
      ...standard.tasks.map((task) => task.name),
      'Customers - Accounts',
    ]);
    const added = taskNamed(project, 'WorkOrderHeader').fieldMaps.find(
      (map) => map.target === 'CustomerRequisitionNumber',
    );
    expect(added?.origin).toEqual({
      file: path.relative(process.cwd(), fixture('contoso.yaml')),
      path: 'fieldMaps.WorkOrderHeader[0]',
    });
  });
});

test('a project can drop an inherited row and map the value to its own column instead', () => {
  const project = loadMappingProject(fixture('renamed-column.yaml'), connectorCatalog());
  const released = releasedProductSchema.parse({
    dataAreaId: 'usmf',
    ProductNumber: 'P-100',
    ProductName: 'Compressor',
    FieldServiceProductType: 'Inventory',
    SalesUnitSymbol: 'ea',
  });
  const { values } = mapRecord(taskNamed(project, 'Products'), released);
  expect(values).not.toHaveProperty('msdynce_isexternallymaintained');
  expect(values.new_externallymaintained).toBe(true);
  expect(values.msdyn_fieldserviceproducttype).toBe(690970000);
});

test('a JSON project can extend a YAML project by relative path and replace an inherited row', () => {
  const project = loadMappingProject(fixture('contoso-units.json'), connectorCatalog());
  const used = productLine({ msdyn_linestatus: WorkOrderLineStatus.Used, msdyn_quantity: 1 });
  const mapping = mapOneWorkOrder(project, workOrder({ new_customerpo: 'PO-1' }), [used]);
  expect(mapping.lines[0].values.SalesUnitSymbol).toBe('EACH');
  expect(mapping.header.values.CustomerRequisitionNumber).toBe('PO-1');
  expect(project.files.slice(-2).map((file) => path.basename(file))).toEqual([
    'contoso.yaml',
    'contoso-units.json',
  ]);
});

test("the README's customization example is a valid project", () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'mappings', 'README.md'), 'utf8');
  const example = /```yaml\n(name: contoso\n[\s\S]*?)```/.exec(readme)?.[1];
  if (example === undefined) throw new Error('the README no longer has the contoso example');
  const directory = mkdtempSync(path.join(tmpdir(), 'fsfo-readme-'));
  try {
    writeFileSync(path.join(directory, 'contoso.yaml'), example);
    const project = loadMappingProject(path.join(directory, 'contoso.yaml'), connectorCatalog());
    expect(taskNamed(project, 'Accounts - Customers').fieldMaps.map((map) => map.target)).not.toContain(
      'PartyType',
    );
  } finally {
    rmSync(directory, { recursive: true });
  }
});
