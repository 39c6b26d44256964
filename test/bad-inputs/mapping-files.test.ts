import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { MappingProjectError, type ProjectIssue } from '../../mappings/project/errors';
import { loadMappingProject, MAX_FILE_BYTES } from '../../mappings/project/loader';
import { createWorker } from '../../worker/worker';
import { connectToTestServer } from '../support/temporal';
import { connectorCatalog } from '../../connectors/entities/catalog';

// Mapping files a customer may get wrong: each is refused with the file, the path inside it, the
// field where there is one, and why; nothing starts with a project that does not load.
const file = (name: string) => path.relative(process.cwd(), path.join(__dirname, 'mappings', name));

function issuesOf(project: string): ProjectIssue[] {
  try {
    loadMappingProject(project, connectorCatalog());
  } catch (err) {
    if (err instanceof MappingProjectError) return err.issues;
    throw err;
  }
  throw new Error(`${project} loaded without errors`);
}

test('a file that does not exist', () => {
  const missing = file('no-such-project.yaml');
  expect(issuesOf(missing)).toEqual([
    { file: missing, path: '', message: expect.stringMatching(/^cannot read the file: ENOENT/) },
  ]);
});

test('YAML that does not parse names the line and column', () => {
  // Written at run time: a malformed file in the repository would fail the formatting check.
  const dir = mkdtempSync(path.join(tmpdir(), 'fsfo-bad-yaml-'));
  try {
    const unclosed = path.join(dir, 'unclosed.yaml');
    writeFileSync(
      unclosed,
      [
        'name: unclosed',
        'extends: standard',
        'fieldMaps:',
        '  WorkOrderHeader:',
        '    - target: CustomerRequisitionNumber',
        '      source: [msdyn_name',
        '',
      ].join('\n'),
    );
    expect(issuesOf(unclosed)).toEqual([
      {
        file: path.relative(process.cwd(), unclosed),
        path: '',
        line: 7,
        message: expect.stringMatching(/^not valid YAML: .*end with a \] at line 7, column 1$/),
      },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a YAML syntax error is one message with file, line and column, not the errors it causes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fsfo-bad-yaml-'));
  try {
    const project = path.join(dir, 'tabs.yaml');
    writeFileSync(
      project,
      [
        'name: tabs',
        'extends: standard',
        'customFields:',
        '  msdyn_workorders:',
        '\tcontoso_ref: { type: string }', // a tab: YAML indents with spaces only
        'fieldMaps:',
        '  WorkOrderHeader:',
        '\t- target: CustomerRequisitionNumber', // another, whose block YAML then misreads line by line
        '      source: msdyn_name',
        '    - target: CustomersOrderReference',
        '      source: msdyn_name',
        '',
      ].join('\n'),
    );
    const file = path.relative(process.cwd(), project);
    expect(issuesOf(project)).toEqual([
      {
        file,
        path: '',
        line: 5,
        message: 'not valid YAML: Tabs are not allowed as indentation at line 5, column 1',
      },
      {
        file,
        path: '',
        line: 8,
        message: 'not valid YAML: Tabs are not allowed as indentation at line 8, column 1',
      },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown transform in a JSON project', () => {
  const json = file('unknown-transform.json');
  expect(issuesOf(json)).toEqual([
    {
      file: json,
      line: 6,
      path: 'fieldMaps.WorkOrderProductLineUsed[0].transforms[0]',
      field: 'OrderedSalesQuantity',
      message: expect.stringMatching(
        /^unknown transform "roundUpToBox"; the transforms are minutesToHours, negate, trim, .*\{ date: <pattern> \}$/,
      ),
    },
  ]);
});

test('JSON that YAML would read but JSON does not (a trailing comma) names the line', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fsfo-bad-json-'));
  try {
    const trailingComma = path.join(dir, 'trailing-comma.json');
    writeFileSync(trailingComma, '{\n  "name": "trailing-comma",\n  "extends": "standard",\n}\n');
    expect(issuesOf(trailingComma)).toEqual([
      {
        file: path.relative(process.cwd(), trailingComma),
        path: '',
        line: 4,
        message: expect.stringMatching(/^not valid JSON: .*position/),
      },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a task without a direction says the property is required', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fsfo-missing-'));
  try {
    const project = path.join(dir, 'no-direction.yaml');
    writeFileSync(
      project,
      [
        'name: no-direction',
        'tasks:',
        '  - name: Warehouses',
        '    source: Warehouses',
        '    destination: msdyn_warehouses',
        '    key: [msdyn_name]',
        '    fieldMaps: [{ target: msdyn_name, source: WarehouseId }]',
        '',
      ].join('\n'),
    );
    expect(issuesOf(project)).toEqual([
      {
        file: path.relative(process.cwd(), project),
        path: 'tasks[0].direction',
        line: 3,
        field: 'direction',
        message: 'required, but missing (expected one of "fieldServiceToFinance", "financeToFieldService")',
      },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an error in an extended file is reported in that file, not in the one extending it', () => {
  expect(issuesOf(file('extends-bad-file.yaml'))).toEqual([
    expect.objectContaining({
      file: file('unknown-transform.json'),
      path: 'fieldMaps.WorkOrderProductLineUsed[0].transforms[0]',
      field: 'OrderedSalesQuantity',
      message: expect.stringMatching(/^unknown transform "roundUpToBox"/),
    }),
  ]);
});

test('a misspelt template name lists the shipped templates', () => {
  const project = file('unknown-template.yaml');
  expect(issuesOf(project)).toEqual([
    {
      file: project,
      line: 2,
      path: 'extends[1]',
      message: expect.stringMatching(
        /^no template named "work-orders-to-sales-order"; shipped templates: .*\bwork-orders-to-sales-orders\b/,
      ),
    },
  ]);
});

test('field maps for a task the project does not have list the tasks it has', () => {
  const project = file('unknown-task.yaml');
  expect(issuesOf(project)).toEqual([
    {
      file: project,
      line: 4,
      path: 'fieldMaps["Work order header"]',
      message: expect.stringMatching(
        /^no task named "Work order header"; the project has .*"WorkOrderHeader"/,
      ),
    },
  ]);
});

test('a custom field with a type that does not exist', () => {
  const project = file('bad-custom-field.yaml');
  expect(issuesOf(project)).toEqual([
    {
      file: project,
      line: 4,
      path: 'customFields.msdyn_workorders.new_customerpo',
      field: 'new_customerpo',
      message: expect.stringMatching(
        /^Invalid option: expected one of "string"\|"number"\|"integer"\|"boolean"\|"date"$/,
      ),
    },
  ]);
});

test('a field map with both a source and a constant', () => {
  const project = file('constant-and-source.yaml');
  expect(issuesOf(project)).toEqual([
    {
      file: project,
      line: 5,
      path: 'fieldMaps.WorkOrderHeader[0]',
      field: 'CustomersOrderReference',
      message: 'takes its value from one place, but has source and constant',
    },
  ]);
});

test('the worker does not start with a mapping project that does not load', async () => {
  const env = await connectToTestServer();
  try {
    const config = loadConfig({ MAPPING_PROJECT: file('constant-and-source.yaml') });
    let error: unknown;
    try {
      await createWorker({ connection: env.nativeConnection, namespace: 'default', config });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MappingProjectError);
    expect((error as Error).message).toContain(
      `${file('constant-and-source.yaml')}:5: fieldMaps.WorkOrderHeader[0] [field CustomersOrderReference]: takes its value from one place`,
    );
  } finally {
    await env.teardown();
  }
});

// Files made to hurt the process that reads them. Each is refused by the real entry points, the CLI
// and the worker, with exit code 2, the file's name and the reason, and no stack trace.
describe('mapping files built as attacks', () => {
  const ROOT = path.join(__dirname, '..', '..');
  const bomb = [
    'name: bomb',
    'extends: standard',
    'a: &a [x, x, x, x, x, x, x, x, x]',
    ...['b', 'c', 'd', 'e', 'f', 'g', 'h'].map(
      (name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcdefg'[index]}`).join(', ')}]`,
    ),
    '',
  ].join('\n');
  const attacks: [string, string, RegExp][] = [
    ['an alias bomb', bomb, /: \(top level\): not valid YAML: Excessive alias count/],
    [
      'a file over the size cap',
      `name: big\nextends: standard\n# ${'x'.repeat(MAX_FILE_BYTES)}\n`,
      /: \(top level\): the file has \d+ bytes; a mapping file may have at most 262144 bytes/,
    ],
    [
      'a field named constructor',
      'name: ctor\nextends: standard\nfieldMaps:\n  WorkOrderHeader:\n    - { target: constructor, source: toString }\n',
      /unknown field: msdyn_workorders has no field toString[^]*unknown field: CDSSalesOrderHeaders has no field constructor/,
    ],
    [
      'a custom field named __proto__',
      'name: proto\nextends: standard\ncustomFields:\n  msdyn_workorders:\n    __proto__: string\n',
      /:5: customFields\.msdyn_workorders\.__proto__ \[field __proto__\]: __proto__ is not allowed as a name/,
    ],
    [
      'an entity named __proto__',
      'name: proto\nextends: standard\ncustomFields:\n  __proto__:\n    new_ref: string\n',
      /:4: customFields\.__proto__ \[field __proto__\]: __proto__ is not allowed as a name/,
    ],
  ];
  const entryPoints: [string, (file: string) => string[], (file: string) => NodeJS.ProcessEnv][] = [
    [
      'fsfo mapping validate',
      (file) => ['--import', 'tsx', 'client/cli.ts', 'mapping', 'validate', file],
      () => ({}),
    ],
    ['the worker', () => ['--import', 'tsx', 'worker/main.ts'], (file) => ({ MAPPING_PROJECT: file })],
  ];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fsfo-attack-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe.each(entryPoints)('%s', (_, args, env) => {
    test.each(attacks)('refuses %s with exit code 2, the file and the reason', (_, content, reason) => {
      const project = path.join(dir, 'attack.yaml');
      writeFileSync(project, content);
      const run = spawnSync(process.execPath, args(project), {
        cwd: ROOT,
        // Only what the entry point needs: the configuration must not come from the test's environment.
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env(project) },
        encoding: 'utf8',
      });
      expect(run.stderr).toContain(`${path.relative(ROOT, project)}`);
      expect(run.stderr).toMatch(reason);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.status).toBe(2);
    });
  });
});
