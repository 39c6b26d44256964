import path from 'node:path';
import { agreementInvoiceTasks } from '../../activities/agreement-invoice/agreement-invoice-tasks';
import { isReadByFlow } from '../../activities/flow-tasks';
import { inventoryDocumentTasks } from '../../activities/inventory/inventory-tasks';
import { syncNameOf } from '../../activities/master-data/added-tasks';
import { planMasterDataSyncs } from '../../activities/master-data/sync-plan';
import { PROJECT_CHECKS } from '../../activities/project-checks';
import { purchaseOrderTasks } from '../../activities/purchase-order/purchase-order-tasks';
import { workOrderTasks } from '../../activities/work-order/work-order-tasks';
import { projectSyncs } from '../../client/sync-schedules';
import { loadConfig } from '../../config/config';
import { formatIssue, MappingProjectError } from '../../mappings/project/errors';
import { loadMappingProject, shippedTemplates } from '../../mappings/project/loader';
import type { ProjectTask } from '../../mappings/project/merge';
import { connectorCatalog } from '../../connectors/entities/catalog';

const fixture = (...names: string[]) =>
  path.relative(process.cwd(), path.join(__dirname, '..', 'mappings', 'fixtures', ...names));

test.each(shippedTemplates())(
  'template %s: a named sync or a flow runs each of its top-level tasks',
  (name) => {
    const { added, issues } = planMasterDataSyncs(loadMappingProject(name, connectorCatalog()));
    expect(issues).toEqual([]);
    expect([...added.keys()]).toEqual([]);
  },
);

test('the flows read the tasks their own task finders find', () => {
  const project = loadMappingProject('standard', connectorCatalog());
  const found: (ProjectTask | undefined)[] = [
    ...Object.values(workOrderTasks(project)),
    ...Object.values(agreementInvoiceTasks(project)),
    ...Object.values(purchaseOrderTasks(project)),
    ...Object.values(inventoryDocumentTasks(project, 'adjustment')),
    ...Object.values(inventoryDocumentTasks(project, 'transfer')),
  ].flatMap((value) => (value instanceof Map ? [...value.values()].flat() : [value]));
  const topLevel = found.filter((task) => task !== undefined && task.parent === undefined);
  expect(topLevel.length).toBeGreaterThan(10);
  expect(topLevel.filter((task) => !isReadByFlow(task!)).map((task) => task!.name)).toEqual([]);
});

test('each named sync has the task it claims, by role', () => {
  const { claimed } = planMasterDataSyncs(loadMappingProject('standard', connectorCatalog()));
  expect(claimed.products.task?.name).toBe('Products - Released products');
  expect(claimed['sales-invoices'].header?.name).toBe('SalesInvoiceHeader');
  expect(claimed['sales-invoices'].lines?.name).toBe('SalesInvoiceLine');
  expect(claimed['inventory-adjustment-postings'].journals).toBe(claimed['inventory-adjustments'].task);
  const finance = planMasterDataSyncs(
    loadMappingProject('finance-products-to-field-service', connectorCatalog()),
  );
  expect(finance.claimed.products.task?.direction).toBe('financeToFieldService');
  expect(finance.claimed.customers).toEqual({});
});

test('an added entity task is named after the task', () => {
  expect(syncNameOf('Customers - Accounts')).toBe('customers-accounts');
  expect(syncNameOf('  Équipements (FS) ')).toBe('quipements-fs');
  expect(syncNameOf('---')).toBe('');
});

test("a project's added entity task becomes a record sync of its own, with a schedule", () => {
  const file = fixture('contoso.yaml');
  const project = loadMappingProject(file, connectorCatalog(), PROJECT_CHECKS);
  const { added } = planMasterDataSyncs(project);
  expect([...added].map(([name, task]) => [name, task.origin])).toEqual([
    ['customers-accounts', { file, path: 'tasks[0]' }],
  ]);
  expect(projectSyncs(loadConfig({ MAPPING_PROJECT: file }), project).get('customers-accounts')).toBe(
    'Customers - Accounts: F&O CustomersV3 → Field Service (Dataverse) accounts (added by the mapping project)',
  );
});

test('added tasks the worker could not run are refused, each with file, line, path, field and why', () => {
  const file = fixture('invalid', 'added-tasks.yaml');
  let error: unknown;
  try {
    loadMappingProject(file, connectorCatalog(), PROJECT_CHECKS);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(MappingProjectError);
  expect((error as MappingProjectError).issues.map(formatIssue)).toEqual([
    `${file}:7: tasks[0]: task "Vendor accounts" (VendorsV2 → accounts) claims the vendors sync, which runs task "Vendors - Accounts" (mappings/templates/vendors-to-field-service.yaml tasks[0]): a named sync runs one task; remove one, or give it the same name to replace it`,
    `${file}:15: tasks[1].name: an added entity task runs as a sync named after it, and "Products" would name its sync "products", which is a named sync: rename the task`,
    `${file}:60: tasks[6].parent.task: "Customers - Accounts" is an added entity task, which runs as a record sync of its own records: line tasks under it are not run; make this a task of its own (no parent)`,
    `${file}:31: tasks[3].name: an added entity task runs as a sync named after it, and "customers/accounts" would name its sync "customers-accounts", as task "Customers - Accounts" (${file} tasks[2]) does: rename the task`,
    `${file}:42: tasks[4].destination: an added entity task runs as a record sync, and the connectors have no schema for the Field Service (Dataverse) entity set new_equipments (activities/dataverse-tables.ts); customFields describe columns for validation only`,
    `${file}:51: tasks[5].key [field accountnumber]: an added entity task runs as a record sync, which needs one destination key field (besides dataAreaId) that a field map copies from one source column, e.g. key [accountnumber] with { target: accountnumber, source: CustomerAccount }`,
  ]);
});

test('a project whose syncs cannot run builds none', () => {
  const project = loadMappingProject(fixture('invalid', 'added-tasks.yaml'), connectorCatalog());
  expect(() => projectSyncs(loadConfig({}), project)).toThrow(MappingProjectError);
});
