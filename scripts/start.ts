/**
 * `npm start`: the whole system on one machine. Starts the Dynamics 365 sandboxes (when the service
 * URLs are the local defaults), a Temporal dev server (or reuses the one at TEMPORAL_ADDRESS), the
 * worker and the webhook endpoint; registers the Dataverse webhook in the sandbox (as `fsfo webhook
 * register` does) so that a work order change reaches the product at once; creates the watcher schedules
 * and runs the work order watcher once so the eligible demo work orders get their workflows; then says
 * what to do next.
 * Ctrl-C (or SIGTERM) stops every child process.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { PROJECT_CHECKS } from '../activities/project-checks';
import { hasWorkOrderFlow } from '../activities/watchers/header-filter';
import { applyWatcherSchedules, runScheduleNow } from '../client/schedules';
import { applySyncSchedules } from '../client/sync-schedules';
import { applyReconcileSchedule } from '../client/reconcile-schedule';
import { applyDigestSchedule } from '../client/digest-schedule';
import { registerSearchAttributes } from '../client/search-attributes';
import { WEB_VIEWS, webViewUrl } from '../client/temporal-web';
import { registerProjectWebhook } from '../client/webhook/registration';
import { type Config, loadConfigOrExit, LOCAL_STACK } from '../config/config';
import { temporalConnection } from '../config/temporal';
import { createConnectors } from '../connectors';
import { loadMappingProjectOrExit } from '../mappings/project/load-or-exit';
import { doctor } from '../workflows';
import type { WorkOrderWatcherResult } from '../workflows/watchers/work-order-watcher';
import { statusQuery } from '../workflows/work-order/messages';
import { Stage } from '../workflows/work-order/stages';
import { nextSteps } from './start-hints';
import type { WorkOrderState } from '../workflows/work-order/state';
import { runTsChild, stopChild } from './child-process';
import { WORKER_NODE_FLAGS } from '../worker/node-flags';
import { startDevServer } from './dev-server';
import { connectorCatalog } from '../connectors/entities/catalog';

const ROOT = resolve(__dirname, '..');
const DATA_DIR = resolve(process.env.FSFO_DATA_DIR ?? join(ROOT, '.data'));
const UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
/** The worker's Prometheus endpoint in the demo, unless METRICS_BIND_ADDRESS says otherwise. */
const DEMO_METRICS_ADDRESS = '127.0.0.1:9464';

const children: ChildProcess[] = [];
let devServer: TestWorkflowEnvironment | undefined;
let stopping = false;

async function reachable(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: '2s' });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
    await delay(250);
  }
}

async function workerPolls(client: Client, taskQueue: string): Promise<boolean> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return pollers.length > 0;
}

function child(name: string, entry: string, env: NodeJS.ProcessEnv, nodeFlags: string[] = []): void {
  const process = runTsChild(join(ROOT, entry), env, nodeFlags);
  children.push(process);
  process.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`The ${name} stopped unexpectedly (${signal ?? `exit code ${code}`}).`);
    void shutdown(1);
  });
}

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nStopping ...');
    await Promise.all(children.map((running) => stopChild(running)));
    await devServer?.teardown();
  }
  process.exit(code);
}

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost'].includes(url.hostname);

/**
 * Where to run the Dynamics 365 sandboxes: when Field Service, F&O and the token endpoint are all
 * loopback URLs (the defaults, or other ports), on those ports; otherwise a real tenant is configured.
 */
function localSandboxes(config: Config): { token: URL; dataverse: URL; finance: URL } | undefined {
  if (config.azure.tokenUrl === undefined) return undefined;
  const urls = {
    token: new URL(config.azure.tokenUrl),
    dataverse: new URL(config.fieldService.url),
    finance: new URL(config.finance.url),
  };
  return Object.values(urls).every(isLoopback) && config.azure.tenantId === LOCAL_STACK.tenantId
    ? urls
    : undefined;
}

async function startTemporal(address: string): Promise<{ address: string; webUrl?: string }> {
  if (await reachable(address)) {
    console.log(`Using the Temporal server at ${address}`);
    return { address };
  }
  const [host, port] = address.split(':');
  if (!['localhost', '127.0.0.1'].includes(host ?? '')) {
    throw new Error(`No Temporal server answers at ${address}; fix TEMPORAL_ADDRESS or unset it`);
  }
  const dir = join(DATA_DIR, 'temporal');
  mkdirSync(dir, { recursive: true });
  console.log(`Starting the Temporal dev server on ${address} (data in ${dir}) ...`);
  devServer = await startDevServer({
    port: Number(port),
    uiPort: UI_PORT,
    dbFilename: join(dir, 'temporal.sqlite'),
  });
  return { address: devServer.address, webUrl: `http://localhost:${UI_PORT}` };
}

async function workOrderStates(client: Client): Promise<WorkOrderState[]> {
  const states: WorkOrderState[] = [];
  for await (const workflow of client.workflow.list({ query: 'WorkflowType = "workOrderInvoicing"' })) {
    const state = await client.workflow
      .getHandle(workflow.workflowId)
      .query(statusQuery)
      .catch(() => undefined);
    if (state) states.push(state);
  }
  return states;
}

/** Stages a workflow passes through on its own; any other waits for a person or for F&O. */
const WORKING_STAGES: ReadonlySet<string> = new Set([
  Stage.SyncingMasterData,
  Stage.CreatingSalesOrder,
  Stage.RecordingInvoice,
]);

/**
 * The work order workflows once at least `started` of them are listed and each has reached a stage where
 * it waits (for approval, an invoice, a fix); as they are after `timeoutMs` if some are still working
 * (e.g. retrying while a service is down).
 */
async function settledWorkOrders(
  client: Client,
  started: number,
  timeoutMs: number,
): Promise<WorkOrderState[]> {
  const deadline = Date.now() + timeoutMs;
  let states = await workOrderStates(client);
  const settled = () => states.length >= started && states.every((state) => !WORKING_STAGES.has(state.stage));
  while (!settled() && Date.now() < deadline) {
    await delay(250);
    states = await workOrderStates(client);
  }
  return states;
}

/** Temporal Web's address and the list views an operator works from: links, or queries for a server's own UI. */
function temporalWebHint(webUrl: string | undefined, namespace: string): string {
  const views = Object.values(WEB_VIEWS).map(
    (view) => `\n    ${view.name.padEnd(26)}${webUrl ? webViewUrl(webUrl, namespace, view) : view.query}`,
  );
  const where = webUrl ?? 'the Web UI of your Temporal server (queries for its List Filter)';
  return `${where}${views.join('')}`;
}

async function main(): Promise<void> {
  let config = loadConfigOrExit();
  const sandboxes = localSandboxes(config);
  if (sandboxes && config.webhook.secret === undefined) {
    // The webhook refuses to run without a key: the demo gets one for this run, its children inherit it.
    process.env.WEBHOOK_SECRET = randomBytes(24).toString('hex');
    config = loadConfigOrExit();
  }
  const { connectionOptions, namespace } = temporalConnection(config);
  const webhook = `http://127.0.0.1:${config.webhook.port}/webhooks`;
  const key = config.webhook.secret ? `?code=${encodeURIComponent(config.webhook.secret.reveal())}` : '';

  if (sandboxes) {
    child('Dynamics 365 sandboxes', 'sandboxes/main.ts', {
      ...process.env,
      FSFO_DATA_DIR: DATA_DIR,
      FSFO_BUSINESS_EVENT_URL: `${webhook}/fno/business-events${key}`,
      SANDBOX_TOKEN_PORT: sandboxes.token.port,
      SANDBOX_DATAVERSE_PORT: sandboxes.dataverse.port,
      SANDBOX_FINANCE_PORT: sandboxes.finance.port,
    });
    const metadata = `${sandboxes.token.origin}/${config.azure.tenantId}/v2.0/.well-known/openid-configuration`;
    await waitFor('The sandboxes', async () => (await fetch(metadata)).ok);
  }

  const { address, webUrl } = await startTemporal(connectionOptions.address);
  const connection = await Connection.connect({ ...connectionOptions, address });
  const client = new Client({ connection, namespace });
  await registerSearchAttributes(client);

  const childEnv = { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace };
  const project = loadMappingProjectOrExit(config.mappingProject, connectorCatalog(), PROJECT_CHECKS);
  const metricsAddress = config.metrics.bindAddress ?? DEMO_METRICS_ADDRESS;
  child('worker', 'worker/main.ts', { ...childEnv, METRICS_BIND_ADDRESS: metricsAddress }, WORKER_NODE_FLAGS);
  const workOrderWebhook = hasWorkOrderFlow(project);
  if (workOrderWebhook) child('webhook endpoint', 'client/webhook/main.ts', childEnv);
  // The sandbox calls the endpoint as a tenant would once the steps are registered; a tenant's are the operator's.
  const dataverseWebhook = sandboxes !== undefined && workOrderWebhook;
  if (dataverseWebhook) {
    const { dataverse } = createConnectors(config);
    await registerProjectWebhook(
      dataverse,
      project,
      `${webhook}/dataverse/work-orders`,
      config.webhook.secret,
    );
  }
  await waitFor('The worker', () => workerPolls(client, config.temporal.taskQueue), 120_000);

  const report = await client.workflow.execute(doctor, {
    workflowId: `doctor-start-${Date.now()}`,
    taskQueue: config.temporal.taskQueue,
    workflowExecutionTimeout: '1 minute',
  });
  const watchers = await applyWatcherSchedules(client, config, project, {
    every: '1 minute',
    since: new Date(0),
  });
  await applySyncSchedules(client, config, project, { every: '15 minutes', since: new Date(0) });
  await applyReconcileSchedule(client, config, project);
  await applyDigestSchedule(client, config);
  let workOrders: WorkOrderState[] = [];
  if (watchers['work-order-watcher']) {
    // The watcher's first run starts the eligible work orders' workflows; each runs on to where it waits.
    const run = await runScheduleNow<WorkOrderWatcherResult>(client, 'work-order-watcher', {
      timeoutMs: 120_000,
    });
    workOrders = await settledWorkOrders(client, run.startedOrSignalled, 120_000);
  }
  await connection.close();
  const stages = workOrders
    .map((state) => `  ${state.workOrderNumber.padEnd(12)} ${state.stage.padEnd(18)} ${state.waitingFor}`)
    .sort();

  const fno = config.finance.url;
  const webhookHint = dataverseWebhook
    ? '\n                    the Dataverse webhook is registered in the sandbox (npm run fsfo -- webhook unregister)'
    : workOrderWebhook
      ? '\n                    register it in Field Service: npm run fsfo -- webhook register --url <public URL>'
      : '';
  console.log(`
The stack is up: worker ${report.worker} polls task queue "${report.taskQueue}" on ${address}.

  Temporal Web      ${temporalWebHint(webUrl, namespace)}
  Field Service     ${config.fieldService.url}${sandboxes ? ' (sandbox)' : ''}
  Finance and Ops   ${fno} (legal entity ${config.finance.company})${sandboxes ? ' (sandbox)' : ''}
  Webhooks          ${webhook}/dataverse/work-orders, ${webhook}/fno/business-events${webhookHint}
  Metrics           http://${metricsAddress}/metrics (Prometheus; the worker's and the product's)
  Master data       schedules sync-* every 15 minutes (npm run fsfo -- schedules list)
  Reconciliation    schedule reconcile daily; now: npm run fsfo -- reconcile

Work order workflows (${dataverseWebhook ? 'the Dataverse webhook reports a change at once; ' : ''}the watcher checks Field Service every minute):
${stages.length > 0 ? stages.join('\n') : '  none yet'}

${nextSteps(workOrders, { url: fno, company: config.finance.company })}

Press Ctrl-C to stop everything.`);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  await shutdown(1);
});
