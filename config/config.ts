import { z } from 'zod';
import {
  approvalPolicySchema,
  type ApprovalPolicy,
  type Approvers,
  approversSchema,
} from './approval-policy';
import { metricsBindAddress, type MetricsSettings } from './metrics';
import { NOTIFICATION_VARIABLES, notificationSettings, type NotificationSettings } from './notifications';
import { Secret } from './secret';
import { waitLimitSchema } from './startup/wait-limit';
import { TRACING_VARIABLES, tracingSettings, type TracingSettings } from './tracing';
import { WORKER_VARIABLES, workerSettings, type WorkerSettings } from './worker';

/** Where `npm start` runs the Dynamics 365 sandboxes; the defaults below point there. */
export const LOCAL_STACK = {
  tokenUrl: 'http://127.0.0.1:5081',
  fieldServiceUrl: 'http://127.0.0.1:5082',
  financeUrl: 'http://127.0.0.1:5083',
  tenantId: '00000000-0000-4000-8000-00000000f5f0',
  clientId: '00000000-0000-4000-8000-0000000c11e7',
  clientSecret: 'sandbox-client-secret',
} as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopback(url: string): boolean {
  return URL.canParse(url) && LOOPBACK_HOSTS.has(new URL(url).hostname);
}

/** An environment variable set to the empty string counts as unset. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** Https, or http on loopback or a host `ALLOW_HTTP_HOSTS` names (checked in `loadConfig`). */
const serviceUrl = z
  .url({
    protocol: /^https?$/,
    abort: true,
    error: 'must be an http(s) URL such as https://contoso.crm.dynamics.com',
  })
  .transform((url) => url.replace(/\/+$/, ''));

const SERVICE_URL_VARIABLES = ['FS_URL', 'FNO_URL', 'AZURE_TOKEN_URL'] as const;

const hostNames = z
  .string()
  .transform((list) => list.split(',').map((host) => host.trim().toLowerCase()))
  .pipe(
    z.array(
      z
        .string()
        .regex(
          /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
          'must be host names separated by commas, e.g. sandboxes',
        ),
    ),
  );

const guidOrDomain = z
  .string()
  .regex(
    /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i,
    'must be a tenant GUID or a domain name such as contoso.onmicrosoft.com',
  );

const lookbackDays = 'must be a whole number of days from 1 to 366';

/** A bound the sales order of a work order must stay within: a positive number. */
const bound = z.coerce
  .number({ error: 'must be a number, e.g. 10000' })
  .positive('must be greater than 0')
  .finite('must be a finite number');

/** Plausibility bounds of a work order's sales order, per line and per order (in the order's currency). */
export interface SalesOrderBounds {
  maxLineQuantity: number;
  maxLineAmount: number;
  maxOrderAmount: number;
}

/**
 * Far above any work order a technician records, far below a quantity or price typed with a few digits too
 * many (a quantity of 1e12 became an F&O line of 1e13).
 */
export const DEFAULT_SALES_ORDER_BOUNDS: SalesOrderBounds = {
  maxLineQuantity: 10_000,
  maxLineAmount: 500_000,
  maxOrderAmount: 1_000_000,
};

const variables = {
  TEMPORAL_ADDRESS: optional(
    z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port, e.g. localhost:7233'),
  ),
  TEMPORAL_NAMESPACE: optional(z.string().regex(/^[\w.-]+$/, 'must be a namespace name')),
  TEMPORAL_TASK_QUEUE: optional(z.string().regex(/^[\w.-]+$/, 'must be a task queue name')),
  WORKFLOW_BUNDLE: optional(z.string().min(1)),
  STARTUP_WAIT_LIMIT: optional(waitLimitSchema),
  FS_URL: optional(serviceUrl),
  FNO_URL: optional(serviceUrl),
  FNO_COMPANY: optional(
    z.string().regex(/^[A-Za-z0-9]{1,4}$/, 'must be a legal entity id (dataAreaId) of 1-4 letters or digits'),
  ),
  AZURE_TENANT_ID: optional(guidOrDomain),
  AZURE_CLIENT_ID: optional(z.guid({ error: 'must be the application (client) id, a GUID' })),
  AZURE_CLIENT_SECRET: optional(z.string()),
  AZURE_TOKEN_URL: optional(serviceUrl),
  ALLOW_HTTP_HOSTS: optional(hostNames),
  MAPPING_PROJECT: optional(z.string().min(1)),
  APPROVAL_POLICY: optional(approvalPolicySchema),
  APPROVERS: optional(approversSchema),
  SALES_ORDER_MAX_LINE_QUANTITY: optional(bound),
  SALES_ORDER_MAX_LINE_AMOUNT: optional(bound),
  SALES_ORDER_MAX_ORDER_AMOUNT: optional(bound),
  WEBHOOK_PORT: optional(z.coerce.number().int().min(1).max(65535)),
  WEBHOOK_SECRET: optional(z.string().min(16, 'must be at least 16 characters')),
  INVOICE_LOOKBACK_DAYS: optional(
    z.coerce
      .number({ error: lookbackDays })
      .int({ error: lookbackDays })
      .min(1, { error: lookbackDays })
      .max(366, { error: lookbackDays }),
  ),
  WORKER_MAX_CACHED_WORKFLOWS: optional(WORKER_VARIABLES.WORKER_MAX_CACHED_WORKFLOWS),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: optional(WORKER_VARIABLES.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS),
  WORKER_MAX_CONCURRENT_ACTIVITIES: optional(WORKER_VARIABLES.WORKER_MAX_CONCURRENT_ACTIVITIES),
  WORKER_WORKFLOW_HEAP_MB: optional(WORKER_VARIABLES.WORKER_WORKFLOW_HEAP_MB),
  NOTIFY_WEBHOOK_URL: optional(NOTIFICATION_VARIABLES.NOTIFY_WEBHOOK_URL),
  NOTIFY_WEBHOOK_FORMAT: optional(NOTIFICATION_VARIABLES.NOTIFY_WEBHOOK_FORMAT),
  SMTP_URL: optional(NOTIFICATION_VARIABLES.SMTP_URL),
  NOTIFY_EMAIL_FROM: optional(NOTIFICATION_VARIABLES.NOTIFY_EMAIL_FROM),
  NOTIFY_EMAIL_TO: optional(NOTIFICATION_VARIABLES.NOTIFY_EMAIL_TO),
  APPROVAL_REMINDER_AFTER: optional(NOTIFICATION_VARIABLES.APPROVAL_REMINDER_AFTER),
  TEMPORAL_UI_URL: optional(NOTIFICATION_VARIABLES.TEMPORAL_UI_URL),
  NOTIFY_DIGEST_AT: optional(NOTIFICATION_VARIABLES.NOTIFY_DIGEST_AT),
  NOTIFY_DIGEST_TIME_ZONE: optional(NOTIFICATION_VARIABLES.NOTIFY_DIGEST_TIME_ZONE),
  METRICS_BIND_ADDRESS: optional(metricsBindAddress),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(TRACING_VARIABLES.OTEL_EXPORTER_OTLP_ENDPOINT),
  OTEL_SERVICE_NAME: optional(TRACING_VARIABLES.OTEL_SERVICE_NAME),
};
type Variable = keyof typeof variables;
/** The environment variables the product reads (README's configuration table, deploy/compose/product.yml). */
export const CONFIG_VARIABLES = Object.keys(variables) as Variable[];
type Values = { [V in Variable]?: z.output<(typeof variables)[V]> };

export interface Config {
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    /** The workflows bundled at build time (`scripts/bundle-workflows.ts`); bundled at start when unset. */
    workflowBundle?: string;
  };
  /** How long to wait at start for Temporal and the token endpoints; unset: the process's default. */
  startupWaitLimitMs?: number;
  fieldService: { url: string };
  finance: { url: string; company: string };
  azure: { tenantId: string; clientId: string; clientSecret: Secret; tokenUrl?: string };
  mappingProject: string;
  approvalPolicy: ApprovalPolicy;
  /** Who may approve or reject invoicing (ids or e-mail addresses, lower-case); empty: anyone. */
  approvers: Approvers;
  /** A work order whose sales order crosses one parks in NeedsAttention; F&O gets nothing. */
  salesOrderBounds: SalesOrderBounds;
  /** Where Dataverse webhooks and F&O business events are received; the key they must carry, if set. */
  webhook: { port: number; secret?: Secret };
  /**
   * How many days behind the newest invoice the invoice readers (sales invoice sync, invoice watcher)
   * check for invoices posted with an earlier date; older ones are the reconciliation's.
   */
  invoiceLookbackDays: number;
  /** What bounds the worker's memory: cache, slots, the workflow thread's heap. */
  worker: WorkerSettings;
  /** Webhook and e-mail notifications, the approval reminder, the daily digest. */
  notifications: NotificationSettings;
  /** The worker's Prometheus endpoint. */
  metrics: MetricsSettings;
  /** OpenTelemetry traces to an OTLP/HTTP collector; none when unset. */
  tracing?: TracingSettings;
}

export interface ConfigIssue {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Each of `names` parsed alone: the values that parse, and an issue per message of those that do not. */
function parseVariables(
  env: NodeJS.ProcessEnv,
  names: readonly Variable[],
): { raw: Values; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const raw: Values = {};
  for (const variable of names) {
    const parsed = variables[variable].safeParse(env[variable]);
    if (parsed.success) Object.assign(raw, { [variable]: parsed.data });
    else issues.push(...parsed.error.issues.map((issue) => ({ variable, message: issue.message })));
  }
  return { raw, issues };
}

/**
 * Reads the product's configuration from environment variables. Defaults point at the local stack
 * (`npm start`); once a service URL points elsewhere, the Entra ID credentials become required so a
 * real tenant is never called with the sandbox's. Every bad variable is reported at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { raw, issues } = parseVariables(env, CONFIG_VARIABLES);
  const httpHosts = new Set(raw.ALLOW_HTTP_HOSTS);
  for (const variable of SERVICE_URL_VARIABLES) {
    const url = raw[variable];
    if (url?.startsWith('http://') && !isLoopback(url) && !httpHosts.has(new URL(url).hostname)) {
      issues.push({
        variable,
        message: 'must use https unless it is a loopback address or a host named in ALLOW_HTTP_HOSTS',
      });
    }
  }
  const fieldServiceUrl = raw.FS_URL ?? LOCAL_STACK.fieldServiceUrl;
  const financeUrl = raw.FNO_URL ?? LOCAL_STACK.financeUrl;
  const urlsValid = !issues.some((i) => i.variable === 'FS_URL' || i.variable === 'FNO_URL');
  const localStack = isLoopback(fieldServiceUrl) && isLoopback(financeUrl);

  const credential = (
    variable: 'AZURE_TENANT_ID' | 'AZURE_CLIENT_ID' | 'AZURE_CLIENT_SECRET',
    sandbox: string,
  ) => {
    const value = raw[variable];
    if (value !== undefined) return value;
    if (localStack) return sandbox;
    if (urlsValid) {
      issues.push({
        variable,
        message: 'is required when FS_URL or FNO_URL points at a Dynamics 365 tenant',
      });
    }
    return '';
  };
  const tenantId = credential('AZURE_TENANT_ID', LOCAL_STACK.tenantId);
  const clientId = credential('AZURE_CLIENT_ID', LOCAL_STACK.clientId);
  const clientSecret = credential('AZURE_CLIENT_SECRET', LOCAL_STACK.clientSecret);
  const worker = workerSettings(raw, { traced: raw.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined });
  if ('issue' in worker) issues.push(worker.issue);
  const notifications = notificationSettings(raw);
  if ('issues' in notifications) issues.push(...notifications.issues);
  if (issues.length > 0 || 'issue' in worker || 'issues' in notifications) throw new ConfigError(issues);

  return {
    temporal: {
      address: raw.TEMPORAL_ADDRESS ?? 'localhost:7233',
      namespace: raw.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: raw.TEMPORAL_TASK_QUEUE ?? 'fsfo',
      workflowBundle: raw.WORKFLOW_BUNDLE,
    },
    startupWaitLimitMs: raw.STARTUP_WAIT_LIMIT,
    fieldService: { url: fieldServiceUrl },
    finance: { url: financeUrl, company: (raw.FNO_COMPANY ?? 'usmf').toLowerCase() },
    azure: {
      tenantId,
      clientId,
      clientSecret: new Secret(clientSecret),
      tokenUrl:
        raw.AZURE_TOKEN_URL ??
        (localStack ? `${LOCAL_STACK.tokenUrl}/${tenantId}/oauth2/v2.0/token` : undefined),
    },
    mappingProject: raw.MAPPING_PROJECT ?? 'standard',
    approvalPolicy: raw.APPROVAL_POLICY ?? 'always',
    approvers: raw.APPROVERS ?? [],
    salesOrderBounds: {
      maxLineQuantity: raw.SALES_ORDER_MAX_LINE_QUANTITY ?? DEFAULT_SALES_ORDER_BOUNDS.maxLineQuantity,
      maxLineAmount: raw.SALES_ORDER_MAX_LINE_AMOUNT ?? DEFAULT_SALES_ORDER_BOUNDS.maxLineAmount,
      maxOrderAmount: raw.SALES_ORDER_MAX_ORDER_AMOUNT ?? DEFAULT_SALES_ORDER_BOUNDS.maxOrderAmount,
    },
    webhook: {
      port: raw.WEBHOOK_PORT ?? 5090,
      secret: raw.WEBHOOK_SECRET === undefined ? undefined : new Secret(raw.WEBHOOK_SECRET),
    },
    invoiceLookbackDays: raw.INVOICE_LOOKBACK_DAYS ?? 62,
    worker: worker.settings,
    notifications: notifications.settings,
    metrics: { bindAddress: raw.METRICS_BIND_ADDRESS },
    tracing: tracingSettings(raw),
  };
}

/** For entry points: a bad configuration prints every problem and exits with code 2. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  return orExit(() => loadConfig(env));
}

/** The tracing variables alone, for the CLI: its other variables are read by the commands that need them. */
export function loadTracingConfigOrExit(env: NodeJS.ProcessEnv = process.env): TracingSettings | undefined {
  return orExit(() => {
    const { raw, issues } = parseVariables(env, ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME']);
    if (issues.length > 0) throw new ConfigError(issues);
    return tracingSettings(raw);
  });
}

function orExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
