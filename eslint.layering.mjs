// The parts of the repository and what each may import: the table "Parts and what each may import" of
// docs/ARCHITECTURE.md, as eslint-plugin-boundaries settings and policies. Keep both in step.
import boundaries from 'eslint-plugin-boundaries';

/** The parts are folders; `client/starters` is a part of its own inside `client`. */
const folders = [
  'workflows',
  'activities',
  'connectors',
  'mappings',
  'worker',
  'client/starters',
  'client',
  'config',
  'sandboxes',
  'scripts',
  'test',
].map((folder) => ({
  type: folder === 'client/starters' ? 'starters' : folder,
  pattern: folder,
  partialMatch: false,
}));

/** Parts that are files inside another part's folder: the definitions their neighbours share. */
const files = [
  {
    category: 'workflow-interface',
    pattern: [
      'workflows/*/messages.ts',
      'workflows/*/stages.ts',
      'workflows/*/state.ts',
      'workflows/integration/decisions.ts',
      'workflows/search-attributes.ts',
    ],
  },
  { category: 'activity-contracts', pattern: 'activities/**/contract.ts' },
  { category: 'approval-policy', pattern: 'config/approval-policy.ts' },
];

/** The packages code in Temporal's deterministic workflow sandbox may load: no Node built-ins, no I/O. */
const WORKFLOW_PACKAGES = ['@temporalio/workflow', '@temporalio/common', 'zod'];

const folder = (type) => ({ element: { type } });
const sub = (type, category) => ({ element: { type }, file: { categories: category } });
const part = {
  workflows: folder('workflows'),
  workflowInterface: sub('workflows', 'workflow-interface'),
  activities: folder('activities'),
  activityContracts: sub('activities', 'activity-contracts'),
  connectors: folder('connectors'),
  mappings: folder('mappings'),
  worker: folder('worker'),
  starters: folder('starters'),
  client: folder('client'),
  config: folder('config'),
  approvalPolicy: sub('config', 'approval-policy'),
  sandboxes: folder('sandboxes'),
  scripts: folder('scripts'),
  test: folder('test'),
};
const packages = (...sources) => ({ module: { origin: 'external', source: sources } });
const anyPackage = { module: { origin: ['external', 'core'] } };
const anything = [{ element: { types: '*' } }, { element: { isUnknown: true } }, anyPackage];
const product = [
  part.workflows,
  part.activities,
  part.connectors,
  part.mappings,
  part.worker,
  part.starters,
  part.client,
  part.config,
];

const allow = (from, to) => ({ from, allow: { to } });
const allowTypes = (from, to) => ({ from, allow: { to, dependency: { kind: 'type' } } });
const disallow = (from, to, kind) => ({ from, disallow: { to, ...(kind && { dependency: { kind } }) } });

/**
 * What no policy allows is an error; a later policy overrides an earlier one, so a sub-part's own policies
 * follow its folder's. Every import is checked: the product's files, packages and Node built-ins alike.
 * A type-only import (`import type …`, erased by the compiler) is judged like any other import unless a
 * policy allows `kind: 'type'`: workflow code names the activities' types (what it proxies), activities and
 * starters name a workflow's types (its state, its function's type) without loading its code.
 */
const policies = [
  // Workflow code: the business flow, and the interface its callers share (messages, stages, state, search attributes).
  allow(part.workflows, [
    part.workflows,
    part.activityContracts,
    part.approvalPolicy,
    packages(...WORKFLOW_PACKAGES),
  ]),
  allowTypes(part.workflows, part.activities),
  disallow(part.workflowInterface, part.workflows, 'value'),
  allow(part.workflowInterface, part.workflowInterface),
  // Activities: one external call each; their contracts are what workflow code may load of them.
  allow(part.activities, [
    part.activities,
    part.connectors,
    part.mappings,
    part.config,
    part.workflowInterface,
    part.starters,
    anyPackage,
  ]),
  allowTypes(part.activities, part.workflows),
  disallow(part.activityContracts, anything),
  allow(part.activityContracts, [part.activityContracts, packages('zod')]),
  allowTypes(part.activityContracts, [part.activities, part.mappings]),
  allow(part.connectors, [part.connectors, part.config, anyPackage]),
  allow(part.mappings, [part.mappings, anyPackage]),
  allow(part.config, [part.config, anyPackage]),
  disallow(part.approvalPolicy, anything),
  allow(part.approvalPolicy, packages('zod')),
  // Entry points: the worker process; the client (CLI, webhook, schedules) and its starters, which activities share.
  allow(part.worker, [...product.filter((p) => p !== part.client && p !== part.starters), anyPackage]),
  allow(part.client, [...product.filter((p) => p !== part.worker), anyPackage]),
  allow(part.starters, [
    part.starters,
    part.workflowInterface,
    part.activityContracts,
    part.config,
    anyPackage,
  ]),
  allowTypes(part.starters, part.workflows),
  // Outside the product.
  allow(part.sandboxes, [part.sandboxes, anyPackage]),
  allow(part.scripts, [...product, part.sandboxes, part.scripts, anyPackage]),
  allow(part.test, [...product, part.sandboxes, part.scripts, part.test, anyPackage]),
];

const name = (side) =>
  `{{#if ${side}.file.categories}}{{${side}.file.categories.[0]}}{{else}}{{${side}.element.type}}{{/if}}`;

export const LAYERING_MESSAGE =
  `${name('from')} may not import {{#if to.element.type}}${name('to')}{{else}}'{{dependency.source}}'{{/if}}` +
  `{{#if dependency.kind}} ({{dependency.kind}}){{/if}}: see "Parts and what each may import" in docs/ARCHITECTURE.md`;

export const layering = {
  files: ['**/*.ts'],
  plugins: { boundaries },
  settings: {
    'boundaries/elements': folders,
    'boundaries/files': files,
    // Besides import, export, require and import(): a type named by `import('…')` in a type position.
    'boundaries/additional-dependency-nodes': [
      { selector: 'TSImportType > Literal.source', kind: 'type', name: 'import-type' },
    ],
    'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      {
        default: 'disallow',
        checkAllOrigins: true,
        checkUnknownLocals: true,
        checkInternals: true,
        message: LAYERING_MESSAGE,
        policies,
      },
    ],
  },
};
