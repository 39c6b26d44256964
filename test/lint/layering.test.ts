import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The layering of docs/ARCHITECTURE.md ("Parts and what each may import"), checked through the repository's
 * own ESLint configuration: for every pair of parts, a file of the first that imports a file of the second,
 * at a deep relative path, is reported with the rule's message exactly when the table forbids it.
 * The fixtures exist only as text given to ESLint with a path inside the part (nothing on disk to rot);
 * the files they import are real, since an import is judged by the file it resolves to.
 */

const root = path.resolve(__dirname, '../..');

type Part =
  | 'workflows'
  | 'workflow-interface'
  | 'activities'
  | 'activity-contracts'
  | 'connectors'
  | 'mappings'
  | 'worker'
  | 'starters'
  | 'client'
  | 'config'
  | 'approval-policy'
  | 'sandboxes'
  | 'scripts'
  | 'test';

/** Where a fixture of the part is linted from (two folders deep where the part allows), and a real file of it. */
const parts: Record<Part, { fixture: string; file: string }> = {
  workflows: { fixture: 'workflows/work-order/steps/fixture.ts', file: 'workflows/doctor.ts' },
  'workflow-interface': {
    fixture: 'workflows/work-order/messages.ts',
    file: 'workflows/search-attributes.ts',
  },
  activities: { fixture: 'activities/reconcile/work-orders/fixture.ts', file: 'activities/doctor.ts' },
  'activity-contracts': {
    fixture: 'activities/reconcile/work-orders/contract.ts',
    file: 'activities/inventory/contract.ts',
  },
  connectors: { fixture: 'connectors/entities/dataverse/fixture.ts', file: 'connectors/index.ts' },
  mappings: { fixture: 'mappings/project/steps/fixture.ts', file: 'mappings/engine/index.ts' },
  worker: { fixture: 'worker/steps/deeper/fixture.ts', file: 'worker/worker.ts' },
  starters: { fixture: 'client/starters/steps/fixture.ts', file: 'client/starters/work-order.ts' },
  client: { fixture: 'client/commands/steps/fixture.ts', file: 'client/connection.ts' },
  config: { fixture: 'config/steps/deeper/fixture.ts', file: 'config/config.ts' },
  'approval-policy': { fixture: 'config/approval-policy.ts', file: 'config/approval-policy.ts' },
  sandboxes: { fixture: 'sandboxes/dataverse/steps/fixture.ts', file: 'sandboxes/main.ts' },
  scripts: { fixture: 'scripts/bench/steps/fixture.ts', file: 'scripts/child-process.ts' },
  test: { fixture: 'test/lint/steps/fixture.ts', file: 'test/support/ports.ts' },
};

const product: Part[] = [
  'workflows',
  'workflow-interface',
  'activities',
  'activity-contracts',
  'connectors',
  'mappings',
  'worker',
  'starters',
  'client',
  'config',
  'approval-policy',
];

/** The table: what each part may import (code; the type-only allowances are tested apart). */
const mayImport: Record<Part, Part[]> = {
  workflows: ['workflows', 'workflow-interface', 'activity-contracts', 'approval-policy'],
  'workflow-interface': ['workflow-interface', 'activity-contracts', 'approval-policy'],
  activities: [
    'activities',
    'activity-contracts',
    'connectors',
    'mappings',
    'config',
    'approval-policy',
    'workflow-interface',
    'starters',
  ],
  'activity-contracts': ['activity-contracts'],
  connectors: ['connectors', 'config', 'approval-policy'],
  mappings: ['mappings'],
  worker: product.filter((part) => part !== 'client' && part !== 'starters'),
  starters: ['starters', 'workflow-interface', 'activity-contracts', 'config', 'approval-policy'],
  client: product.filter((part) => part !== 'worker'),
  config: ['config', 'approval-policy'],
  'approval-policy': [],
  sandboxes: ['sandboxes'],
  scripts: [...product, 'sandboxes', 'scripts'],
  test: [...product, 'sandboxes', 'scripts', 'test'],
};

const message = (from: string, to: string, kind: 'value' | 'type' = 'value') =>
  `${from} may not import ${to} (${kind}): see "Parts and what each may import" in docs/ARCHITECTURE.md`;

/** The texts every test lints, linted at once: one ESLint process (`lint-texts.mjs`) for the file. */
const texts: { filePath: string; code: string }[] = [];
const results = new Map<string, string[]>();

function lint(fixture: string, code: string): () => string[] {
  const filePath = path.join(root, fixture);
  texts.push({ filePath, code });
  return () => results.get(filePath + code)!;
}

beforeAll(() => {
  const output = execFileSync(process.execPath, [path.join(__dirname, 'lint-texts.mjs')], {
    cwd: root,
    input: JSON.stringify(texts),
    encoding: 'utf8',
  });
  (JSON.parse(output) as string[][]).forEach((messages, i) => {
    results.set(texts[i]!.filePath + texts[i]!.code, messages);
  });
});

function specifier(fixture: string, file: string): string {
  const relative = path.relative(path.dirname(fixture), file.replace(/\.ts$/, ''));
  return relative.startsWith('.') ? relative : `./${relative}`;
}

const valueImport = (spec: string) => `import * as imported from '${spec}';\nexport const used = imported;\n`;
const typeImport = (spec: string) =>
  `import type * as imported from '${spec}';\nexport type Used = typeof imported;\n`;

const pairs = (Object.keys(parts) as Part[])
  .flatMap((from) => (Object.keys(parts) as Part[]).map((to) => [from, to] as const))
  .filter(([from, to]) => parts[from].fixture !== parts[to].file);

/** A file of `from` importing a file of `to`: the case's name, the messages expected and those reported. */
function importCase(from: Part, to: Part, kind: 'value' | 'type', allowed: boolean) {
  const spec = specifier(parts[from].fixture, parts[to].file);
  const code = kind === 'value' ? valueImport(spec) : typeImport(spec);
  return [from, to, allowed ? [] : [message(from, to, kind)], lint(parts[from].fixture, code)] as const;
}

describe('every pair of parts', () => {
  test.each(
    pairs
      .filter(([from, to]) => !mayImport[from].includes(to))
      .map(([from, to]) => importCase(from, to, 'value', false)),
  )('%s may not import %s', (_from, _to, expected, reported) => expect(reported()).toEqual(expected));

  test.each(
    pairs
      .filter(([from, to]) => mayImport[from].includes(to))
      .map(([from, to]) => importCase(from, to, 'value', true)),
  )('%s may import %s', (_from, _to, expected, reported) => expect(reported()).toEqual(expected));
});

const unresolved = lint('workflows/work-order/steps/fixture.ts', valueImport('../../../connectors/x'));
test('a deep relative path that resolves to no file of a part is reported too', () => {
  expect(unresolved()).toEqual([message('workflows', "'../../../connectors/x'")]);
});

describe('every way to import is judged', () => {
  const spec = specifier(parts.mappings.fixture, parts.connectors.file);
  const forms = [
    ['export … from', `export * from '${spec}';\n`, 'value'],
    ['import()', `export const load = () => import('${spec}');\n`, 'value'],
    ['require()', `export const loaded: unknown = require('${spec}');\n`, 'value'],
    ['typeof import()', `export type Loaded = typeof import('${spec}');\n`, 'type'],
  ] as const;
  test.each(
    forms.map(
      ([form, code, kind]) =>
        [form, message('mappings', 'connectors', kind), lint(parts.mappings.fixture, code)] as const,
    ),
  )('%s', (_form, expected, reported) => expect(reported()).toEqual([expected]));
});

describe('type-only imports', () => {
  const allowed: [Part, Part][] = [
    ['workflows', 'activities'],
    ['workflow-interface', 'activities'],
    ['workflow-interface', 'workflows'],
    ['activities', 'workflows'],
    ['starters', 'workflows'],
    ['activity-contracts', 'activities'],
    ['activity-contracts', 'mappings'],
  ];
  test.each(allowed.map(([from, to]) => importCase(from, to, 'type', true)))(
    '%s may import the types of %s',
    (_from, _to, expected, reported) => expect(reported()).toEqual(expected),
  );

  const forbidden: [Part, Part][] = [
    ['mappings', 'connectors'],
    ['config', 'workflows'],
    ['sandboxes', 'connectors'],
    ['connectors', 'sandboxes'],
    ['workflows', 'connectors'],
    ['activities', 'client'],
  ];
  test.each(forbidden.map(([from, to]) => importCase(from, to, 'type', false)))(
    'are judged like any import elsewhere: %s may not import the types of %s',
    (_from, _to, expected, reported) => expect(reported()).toEqual(expected),
  );
});

describe('packages', () => {
  const workflowCode: Part[] = ['workflows', 'workflow-interface', 'activity-contracts', 'approval-policy'];
  const packageCase = (from: Part, source: string, allowed: boolean) =>
    [
      from,
      source,
      allowed ? [] : [message(from, `'${source}'`)],
      lint(parts[from].fixture, valueImport(source)),
    ] as const;

  test.each(
    workflowCode.flatMap((from) =>
      ['node:fs', 'fs', 'got', '@azure/msal-node', '@temporalio/client', '@temporalio/activity'].map(
        (source) => packageCase(from, source, false),
      ),
    ),
  )('%s may not load %s', (_from, _source, expected, reported) => expect(reported()).toEqual(expected));

  test.each(
    (['workflows', 'workflow-interface'] as Part[]).flatMap((from) =>
      ['@temporalio/workflow', '@temporalio/common', 'zod'].map((source) => packageCase(from, source, true)),
    ),
  )('%s may load %s', (_from, _source, expected, reported) => expect(reported()).toEqual(expected));

  test.each(
    (['activities', 'connectors', 'client', 'sandboxes'] as Part[]).map((from) =>
      packageCase(from, 'node:crypto', true),
    ),
  )('%s may load %s', (_from, _source, expected, reported) => expect(reported()).toEqual(expected));
});
