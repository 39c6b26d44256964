import { spawnSync } from 'node:child_process';
import { inspect } from 'node:util';
import { loadConfig, LOCAL_STACK } from '../../config/config';
import { configIssuesOf } from '../support/config-issues';
import { temporalConnection } from '../../config/temporal';

const tenant = {
  FS_URL: 'https://contoso.crm.dynamics.com/',
  FNO_URL: 'https://contoso.operations.dynamics.com',
  AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
  AZURE_CLIENT_ID: '6f1c1d64-3a52-4c8e-9d0f-2b8f6a4e7c11',
  AZURE_CLIENT_SECRET: 'real-secret-value',
};

test('defaults point at the local stack, including the sandbox token endpoint', () => {
  const config = loadConfig({});
  expect(config.temporal).toEqual({ address: 'localhost:7233', namespace: 'default', taskQueue: 'fsfo' });
  expect(config.fieldService.url).toBe(LOCAL_STACK.fieldServiceUrl);
  expect(config.finance).toEqual({ url: LOCAL_STACK.financeUrl, company: 'usmf' });
  expect(config.azure.tokenUrl).toBe(`${LOCAL_STACK.tokenUrl}/${LOCAL_STACK.tenantId}/oauth2/v2.0/token`);
  expect(config.mappingProject).toBe('standard');
});

test('a real tenant uses its own credentials and the real token endpoint', () => {
  const config = loadConfig({ ...tenant, FNO_COMPANY: 'USRT', MAPPING_PROJECT: './my-project.yaml' });
  expect(config.fieldService.url).toBe('https://contoso.crm.dynamics.com');
  expect(config.finance.company).toBe('usrt');
  expect(config.azure.tenantId).toBe('contoso.onmicrosoft.com');
  expect(config.azure.clientSecret.reveal()).toBe('real-secret-value');
  expect(config.azure.tokenUrl).toBeUndefined();
  expect(config.mappingProject).toBe('./my-project.yaml');
});

test('a real tenant without credentials is refused rather than sent the sandbox secret', () => {
  expect(configIssuesOf({ FS_URL: tenant.FS_URL }).map((i) => i.variable)).toEqual([
    'AZURE_TENANT_ID',
    'AZURE_CLIENT_ID',
    'AZURE_CLIENT_SECRET',
  ]);
});

test('every bad variable is reported at once, each with the reason', () => {
  const issues = configIssuesOf({
    TEMPORAL_ADDRESS: 'localhost',
    TEMPORAL_TASK_QUEUE: 'has space',
    FS_URL: 'http://contoso.crm.dynamics.com',
    FNO_URL: 'not a url',
    FNO_COMPANY: 'toolong',
    AZURE_CLIENT_ID: 'abc',
  });
  expect(Object.fromEntries(issues.map((i) => [i.variable, i.message]))).toEqual({
    TEMPORAL_ADDRESS: expect.stringContaining('host:port'),
    TEMPORAL_TASK_QUEUE: expect.stringContaining('task queue'),
    FS_URL: expect.stringContaining('https'),
    FNO_URL: expect.stringContaining('URL'),
    FNO_COMPANY: expect.stringContaining('dataAreaId'),
    AZURE_CLIENT_ID: expect.stringContaining('GUID'),
  });
});

test.each(['always', 'never', 'above:1000', 'above:999.50'])('APPROVAL_POLICY=%s is accepted', (policy) => {
  expect(loadConfig({ APPROVAL_POLICY: policy }).approvalPolicy).toBe(policy);
});

test('APPROVAL_POLICY defaults to always', () => {
  expect(loadConfig({}).approvalPolicy).toBe('always');
});

test.each(['sometimes', 'above:x', 'above:', 'Always'])(
  'APPROVAL_POLICY=%s is refused, naming the variable',
  (policy) => {
    expect(configIssuesOf({ APPROVAL_POLICY: policy })).toEqual([
      {
        variable: 'APPROVAL_POLICY',
        message: "must be 'always', 'never' or 'above:<amount>', e.g. above:1000",
      },
    ]);
    expect(() => loadConfig({ APPROVAL_POLICY: policy })).toThrow(/APPROVAL_POLICY: must be 'always'/);
  },
);

test('APPROVERS: user ids, object ids and e-mail addresses, lower-cased; unset lets anyone decide', () => {
  expect(loadConfig({}).approvers).toEqual([]);
  expect(
    loadConfig({ APPROVERS: ' Dana@Contoso.com, 00000000-0000-4000-8000-0000005E0001 ,' }).approvers,
  ).toEqual(['dana@contoso.com', '00000000-0000-4000-8000-0000005e0001']);
});

test('APPROVERS naming something that is neither an id nor an e-mail address is refused, naming it', () => {
  expect(configIssuesOf({ APPROVERS: 'dana@contoso.com, Dana' })).toEqual([
    { variable: 'APPROVERS', message: '"dana" is neither a user or object id (GUID) nor an e-mail address' },
  ]);
  expect(configIssuesOf({ APPROVERS: ' , ' })).toEqual([
    { variable: 'APPROVERS', message: 'must name at least one approver' },
  ]);
});

test('sales order bounds default to 10,000 per line quantity, 500,000 per line and 1,000,000 per order', () => {
  expect(loadConfig({}).salesOrderBounds).toEqual({
    maxLineQuantity: 10_000,
    maxLineAmount: 500_000,
    maxOrderAmount: 1_000_000,
  });
  expect(
    loadConfig({
      SALES_ORDER_MAX_LINE_QUANTITY: '250',
      SALES_ORDER_MAX_LINE_AMOUNT: '2500.50',
      SALES_ORDER_MAX_ORDER_AMOUNT: '1e4',
    }).salesOrderBounds,
  ).toEqual({ maxLineQuantity: 250, maxLineAmount: 2500.5, maxOrderAmount: 10_000 });
});

test('a sales order bound that is not a positive number is refused, naming the variable', () => {
  expect(
    configIssuesOf({
      SALES_ORDER_MAX_LINE_QUANTITY: 'lots',
      SALES_ORDER_MAX_LINE_AMOUNT: '0',
      SALES_ORDER_MAX_ORDER_AMOUNT: '-5',
    }),
  ).toEqual([
    { variable: 'SALES_ORDER_MAX_LINE_QUANTITY', message: 'must be a number, e.g. 10000' },
    { variable: 'SALES_ORDER_MAX_LINE_AMOUNT', message: 'must be greater than 0' },
    { variable: 'SALES_ORDER_MAX_ORDER_AMOUNT', message: 'must be greater than 0' },
  ]);
});

test('a variable set to the empty string counts as unset', () => {
  expect(loadConfig({ TEMPORAL_ADDRESS: '', FNO_COMPANY: '' }).temporal.address).toBe('localhost:7233');
});

test('the client secret never shows when the configuration is printed or serialized', () => {
  const config = loadConfig(tenant);
  for (const text of [
    JSON.stringify(config),
    inspect(config, { depth: 10 }),
    `${config.azure.clientSecret}`,
  ]) {
    expect(text).not.toContain('real-secret-value');
    expect(text).toContain('[redacted]');
  }
});

test('Temporal Cloud: an API key from the environment turns on TLS and is passed to the connection', () => {
  const env = {
    TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233',
    TEMPORAL_NAMESPACE: 'my-ns.a1b2c',
    TEMPORAL_API_KEY: 'key-1',
  };
  const { connectionOptions, namespace } = temporalConnection(loadConfig(env), env);
  expect(connectionOptions.address).toBe('my-ns.a1b2c.tmprl.cloud:7233');
  expect(connectionOptions.apiKey).toBe('key-1');
  expect(connectionOptions.tls).toBeTruthy();
  expect(namespace).toBe('my-ns.a1b2c');
});

test('the worker refuses to start on bad configuration: exit code 2 and every bad variable named', () => {
  const result = spawnSync(require.resolve('tsx/cli'), ['worker/main.ts'], {
    cwd: `${__dirname}/../..`,
    env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: 'nope', FNO_COMPANY: '!!' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('TEMPORAL_ADDRESS: must be host:port');
  expect(result.stderr).toContain('FNO_COMPANY: must be a legal entity id');
});

test('INVOICE_LOOKBACK_DAYS defaults to 62 days and takes a whole number of days up to a year', () => {
  expect(loadConfig({}).invoiceLookbackDays).toBe(62);
  expect(loadConfig({ INVOICE_LOOKBACK_DAYS: '90' }).invoiceLookbackDays).toBe(90);
  for (const days of ['0', '367', '1.5', 'two months']) {
    expect(configIssuesOf({ INVOICE_LOOKBACK_DAYS: days })).toEqual([
      { variable: 'INVOICE_LOOKBACK_DAYS', message: 'must be a whole number of days from 1 to 366' },
    ]);
  }
});

test('the workflow heap grows with the cache by default and is refused when too small for it', () => {
  expect(loadConfig({}).worker).toMatchObject({ maxCachedWorkflows: 100, workflowHeapMb: 128 });
  expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '1000' }).worker.workflowHeapMb).toBe(564);
  expect(configIssuesOf({ WORKER_MAX_CACHED_WORKFLOWS: '1000', WORKER_WORKFLOW_HEAP_MB: '256' })).toEqual([
    {
      variable: 'WORKER_WORKFLOW_HEAP_MB',
      message: 'must be at least 564 for 1000 cached workflows (WORKER_MAX_CACHED_WORKFLOWS)',
    },
  ]);
});

test('tracing raises the workflow heap to a megabyte per cached workflow, by default and as its floor', () => {
  const traced = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' };
  expect(loadConfig(traced).worker.workflowHeapMb).toBe(164);
  expect(loadConfig({ ...traced, WORKER_MAX_CACHED_WORKFLOWS: '20' }).worker.workflowHeapMb).toBe(128);
  expect(configIssuesOf({ ...traced, WORKER_WORKFLOW_HEAP_MB: '128' })).toEqual([
    {
      variable: 'WORKER_WORKFLOW_HEAP_MB',
      message:
        'must be at least 164 for 100 cached workflows (WORKER_MAX_CACHED_WORKFLOWS) traced (OTEL_EXPORTER_OTLP_ENDPOINT)',
    },
  ]);
});

test('worker settings take whole numbers in range; workflow tasks may not exceed the cache', () => {
  expect(
    loadConfig({
      WORKER_MAX_CACHED_WORKFLOWS: '30',
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '30',
      WORKER_MAX_CONCURRENT_ACTIVITIES: '8',
      WORKER_WORKFLOW_HEAP_MB: '512',
    }).worker,
  ).toEqual({
    maxCachedWorkflows: 30,
    maxConcurrentWorkflowTasks: 30,
    maxConcurrentActivities: 8,
    workflowHeapMb: 512,
  });
  expect(
    configIssuesOf({
      WORKER_MAX_CACHED_WORKFLOWS: '1',
      WORKER_MAX_CONCURRENT_ACTIVITIES: 'many',
      WORKER_WORKFLOW_HEAP_MB: '32',
    }),
  ).toEqual([
    { variable: 'WORKER_MAX_CACHED_WORKFLOWS', message: 'must be a whole number from 2 to 100000' },
    { variable: 'WORKER_MAX_CONCURRENT_ACTIVITIES', message: 'must be a whole number from 1 to 1000' },
    { variable: 'WORKER_WORKFLOW_HEAP_MB', message: 'must be a whole number from 64 to 65536' },
  ]);
  expect(
    configIssuesOf({ WORKER_MAX_CACHED_WORKFLOWS: '20', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '40' }),
  ).toEqual([
    {
      variable: 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
      message: 'must not exceed WORKER_MAX_CACHED_WORKFLOWS (20)',
    },
  ]);
});

test('ALLOW_HTTP_HOSTS lets the service URLs use plain http on the hosts it names, and only there', () => {
  const sandboxes = {
    ...tenant,
    FS_URL: 'http://sandboxes:5082',
    FNO_URL: 'http://sandboxes:5083',
    AZURE_TOKEN_URL: 'http://sandboxes:5081/contoso.onmicrosoft.com/oauth2/v2.0/token',
  };
  expect(configIssuesOf(sandboxes).map((i) => i.variable)).toEqual(['FS_URL', 'FNO_URL', 'AZURE_TOKEN_URL']);
  const config = loadConfig({ ...sandboxes, ALLOW_HTTP_HOSTS: 'Sandboxes, proxy.internal' });
  expect([config.fieldService.url, config.finance.url, config.azure.tokenUrl]).toEqual([
    sandboxes.FS_URL,
    sandboxes.FNO_URL,
    sandboxes.AZURE_TOKEN_URL,
  ]);
  expect(configIssuesOf({ ...sandboxes, ALLOW_HTTP_HOSTS: 'other' })).toEqual([
    { variable: 'FS_URL', message: expect.stringContaining('ALLOW_HTTP_HOSTS') },
    { variable: 'FNO_URL', message: expect.stringContaining('ALLOW_HTTP_HOSTS') },
    { variable: 'AZURE_TOKEN_URL', message: expect.stringContaining('ALLOW_HTTP_HOSTS') },
  ]);
  expect(configIssuesOf({ ALLOW_HTTP_HOSTS: 'sandboxes:5082' })).toEqual([
    { variable: 'ALLOW_HTTP_HOSTS', message: expect.stringContaining('host names') },
  ]);
});

test('STARTUP_WAIT_LIMIT takes a duration from 1 second to 24 hours; unset leaves each process its default', () => {
  expect(loadConfig({}).startupWaitLimitMs).toBeUndefined();
  expect(loadConfig({ STARTUP_WAIT_LIMIT: '90s' }).startupWaitLimitMs).toBe(90_000);
  expect(loadConfig({ STARTUP_WAIT_LIMIT: '10 minutes' }).startupWaitLimitMs).toBe(600_000);
  for (const value of ['5', 'soon', '25h']) {
    expect(configIssuesOf({ STARTUP_WAIT_LIMIT: value })).toEqual([
      {
        variable: 'STARTUP_WAIT_LIMIT',
        message: 'must be a duration from 1 second to 24 hours, e.g. "5m", "30s" or "2 minutes"',
      },
    ]);
  }
});
