import path from 'node:path';
import { z } from 'zod';
import { findTask, mapRecord } from '../../mappings/engine';
import { MappingProjectError } from '../../mappings/project/errors';
import { loadMappingProject } from '../../mappings/project/loader';
import { connectorCatalog } from '../../connectors/entities/catalog';

const fixture = (...names: string[]) =>
  path.relative(process.cwd(), path.join(__dirname, 'fixtures', ...names));

function issuesOf(file: string, catalog = connectorCatalog()) {
  try {
    loadMappingProject(file, catalog);
  } catch (err) {
    if (err instanceof MappingProjectError) return err.issues;
    throw err;
  }
  throw new Error(`${file} loaded without errors`);
}

test('a task whose entities are in the wrong systems for its direction is refused', () => {
  const file = fixture('invalid', 'wrong-direction.yaml');
  expect(issuesOf(file)).toEqual([
    {
      file,
      line: 5,
      path: 'tasks[0].source',
      message:
        'Warehouses is a Finance and Operations entity, but direction fieldServiceToFinance needs a Field Service (Dataverse) table here',
    },
    {
      file,
      line: 6,
      path: 'tasks[0].destination',
      message:
        'msdyn_warehouses is a Field Service (Dataverse) table, but direction fieldServiceToFinance needs a Finance and Operations entity here',
    },
  ]);
});

test('filter columns are checked for existence and for the type of what they are compared with', () => {
  const file = fixture('invalid', 'bad-filter-columns.yaml');
  expect(issuesOf(file)).toEqual([
    {
      file,
      line: 8,
      path: 'tasks[0].filter',
      field: 'Site',
      message: 'unknown field: Warehouses has no field Site',
    },
    {
      file,
      line: 8,
      path: 'tasks[0].filter',
      field: 'WarehouseId',
      message: 'wrong type: WarehouseId is compared with 13',
    },
  ]);
});

describe('truncate: target', () => {
  const file = fixture('truncate-to-target.yaml');

  test('is refused when the target schema has no maximum length', () => {
    expect(issuesOf(file)).toEqual([
      {
        file,
        line: 7,
        path: 'fieldMaps.WorkOrderProductLineUsed[0].transforms[1]',
        field: 'LineDescription',
        message:
          'truncate: target needs a maximum length on CDSSalesOrderLines.LineDescription, whose schema has none; give a number',
      },
    ]);
  });

  test("takes the target field's maximum length from its schema", () => {
    const catalog = new Map(connectorCatalog());
    const lines = catalog.get('CDSSalesOrderLines');
    if (!lines) throw new Error('the connectors no longer describe CDSSalesOrderLines');
    catalog.set('CDSSalesOrderLines', {
      ...lines,
      fields: { ...lines.fields, LineDescription: z.string().max(10).optional() },
    });
    const project = loadMappingProject(file, catalog);
    const task = findTask(
      project,
      (candidate) => candidate.name === 'WorkOrderProductLineUsed',
      'used line task',
    );
    expect(task.fieldMaps.find((map) => map.target === 'LineDescription')?.transforms).toEqual([
      'trim',
      { truncate: 10 },
    ]);
    const record = { msdyn_lineorder: 1, msdyn_description: '  Replace the compressor  ' };
    const related = { msdyn_workorder: { msdyn_name: 'WO-1' }, msdyn_product: null, msdyn_unit: null };
    const payload = mapRecord(task, record, {
      ...related,
      msdyn_warehouse: null,
      transactioncurrencyid: null,
    });
    expect(payload.values.LineDescription).toBe('Replace th');
  });
});

test('a loaded project is plain data, so it can travel to workflows as an argument', () => {
  const project = loadMappingProject(fixture('contoso.yaml'), connectorCatalog());
  expect(JSON.parse(JSON.stringify(project))).toEqual(project);
});
