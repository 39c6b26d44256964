import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadMappingProject } from '../../mappings/project/loader';
import type { ProjectIssue } from '../../mappings/project/errors';
import { MappingProjectError } from '../../mappings/project/errors';
import { connectorCatalog } from '../../connectors/entities/catalog';

const invalid = (name: string) =>
  path.relative(process.cwd(), path.join(__dirname, 'fixtures', 'invalid', name));

function issuesOf(file: string): ProjectIssue[] {
  try {
    loadMappingProject(file, connectorCatalog());
  } catch (err) {
    if (err instanceof MappingProjectError) return err.issues;
    throw err;
  }
  throw new Error(`${file} loaded without errors`);
}

describe('a wrong mapping project is refused with file, path, field and why', () => {
  test('unknown field', () => {
    const file = invalid('unknown-field.yaml');
    expect(issuesOf(file)).toEqual([
      {
        file,
        line: 6,
        path: 'fieldMaps.WorkOrderHeader[0].source',
        field: 'new_customerpo',
        message: 'unknown field: msdyn_workorders has no field new_customerpo',
      },
      {
        file,
        line: 5,
        path: 'fieldMaps.WorkOrderHeader[0].target',
        field: 'CustomerRequisitionNumber',
        message: 'unknown field: CDSSalesOrderHeaders has no field CustomerRequisitionNumber',
      },
    ]);
  });

  test('wrong type', () => {
    const file = invalid('wrong-type.yaml');
    // In the order of the effective task's rows: OrganizationName comes before CustomerGroupId.
    expect(issuesOf(file)).toEqual([
      {
        file,
        line: 9,
        path: 'fieldMaps["Accounts - Customers"][1].transforms[0]',
        field: 'OrganizationName',
        message: 'wrong type: minutesToHours needs a number, but the value is a string',
      },
      {
        file,
        line: 7,
        path: 'fieldMaps["Accounts - Customers"][1].target',
        field: 'OrganizationName',
        message: 'wrong type: the value is a number, but OrganizationName takes a string',
      },
      {
        file,
        line: 6,
        path: 'fieldMaps["Accounts - Customers"][0].default',
        field: 'CustomerGroupId',
        message: expect.stringMatching(
          /^wrong type: default 20 does not fit CustomerGroupId: .*expected string/,
        ),
      },
    ]);
  });

  test('bad value map', () => {
    const file = invalid('bad-value-map.yaml');
    expect(issuesOf(file)).toEqual([
      {
        file,
        line: 8,
        path: 'fieldMaps["Products - Released products"][0].valueMap["690970000"]',
        field: 'FieldServiceProductType',
        message: expect.stringMatching(
          /^bad value map: value "Stocked" does not fit FieldServiceProductType: /,
        ),
      },
      {
        file,
        line: 9,
        path: 'fieldMaps["Products - Released products"][0].valueMap.service',
        field: 'FieldServiceProductType',
        message: 'bad value map: service is not a possible source value',
      },
    ]);
  });

  test('missing required map', () => {
    const file = invalid('missing-required-map.yaml');
    expect(issuesOf(file)).toEqual([
      {
        file,
        line: 7,
        path: 'tasks[0].key[0]',
        field: 'msdyn_name',
        message: 'missing required map: key field msdyn_name is not mapped',
      },
    ]);
  });

  test('a misspelt property or a field map with two value sources', () => {
    const file = invalid('malformed.yaml');
    expect(issuesOf(file)).toEqual([
      {
        file,
        line: 5,
        path: 'fieldMaps.WorkOrderHeader[0]',
        field: 'sorce',
        message: expect.stringContaining('Unrecognized key'),
      },
      {
        file,
        line: 5,
        path: 'fieldMaps.WorkOrderHeader[0]',
        field: 'CustomerRequisitionNumber',
        message: 'needs one of source, related, concatenate, constant or default',
      },
      {
        file,
        line: 7,
        path: 'fieldMaps.WorkOrderHeader[1]',
        field: 'SalesOrderOriginType',
        message: 'takes its value from one place, but has source and constant',
      },
    ]);
  });

  test('an unknown template, an unknown task and a broken filter', () => {
    const file = invalid('bad-references.yaml');
    expect(issuesOf(file)).toEqual([
      {
        file,
        line: 2,
        path: 'extends[0]',
        message: expect.stringContaining('no template named "accounts-to-customer"'),
      },
      {
        file,
        line: 4,
        path: 'fieldMaps.WorkOrderHeadr',
        message: 'no task named "WorkOrderHeadr"; the project has "Warehouses"',
      },
      {
        file,
        line: 13,
        path: 'tasks[0].filter',
        message: `expected a column name at character 26 of "(WarehouseId eq '13') and"`,
      },
    ]);
  });

  test('removing a row the task does not have, or from a task that does not exist', () => {
    const file = invalid('remove-unknown.yaml');
    expect(issuesOf(file)).toEqual([
      {
        file,
        line: 4,
        path: 'removeFieldMaps.Products[0]',
        field: 'msdynce_isexternalymaintained',
        message: 'task "Products" does not map msdynce_isexternalymaintained',
      },
      {
        file,
        line: 5,
        path: 'removeFieldMaps.Product',
        message: 'no task named "Product"; the project has "Products"',
      },
    ]);
  });

  test('a file that is not YAML', () => {
    // Written at run time: a broken file in the repository would break the formatter's run.
    const directory = mkdtempSync(path.join(tmpdir(), 'fsfo-mapping-'));
    const file = path.relative(process.cwd(), path.join(directory, 'broken.yaml'));
    writeFileSync(file, 'name: broken\nfieldMaps:\n  WorkOrderHeader: [\n');
    try {
      expect(issuesOf(file)).toEqual([
        { file, path: '', line: 4, message: expect.stringContaining('not valid YAML') },
      ]);
    } finally {
      rmSync(directory, { recursive: true });
    }
  });

  test('a name that is neither a template nor a file', () => {
    expect(issuesOf('no-such-template')).toEqual([
      {
        file: 'no-such-template',
        path: '',
        message: expect.stringContaining('neither a file path nor a shipped template'),
      },
    ]);
  });

  test('the error message lists every issue readably', () => {
    const file = invalid('unknown-field.yaml');
    expect(() => loadMappingProject(file, connectorCatalog())).toThrow(
      `${file}:6: fieldMaps.WorkOrderHeader[0].source [field new_customerpo]: unknown field: msdyn_workorders has no field new_customerpo`,
    );
  });
});
