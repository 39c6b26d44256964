import type { Client } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { setTimeout as delay } from 'node:timers/promises';
import { totalDrifts } from '../../activities/reconcile/drift';
import { IN_FLIGHT_WINDOW_MS } from '../../activities/reconcile/work-orders/in-flight';
import {
  reconcileInProcess,
  type RepairOutcome,
  type ReconcileOutput,
  type ReconcileRunOptions,
} from '../../client/reconcile/run';
import { loadMappingProject } from '../../mappings/project/loader';
import { startStack, type Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { connectorCatalog } from '../../connectors/entities/catalog';

const DEMO_WORK_ORDERS = ['WO-00001', 'WO-00002', 'WO-00003', 'WO-00004', 'WO-00005'];
const DEMO_INVOICE = 'INV-00001';

/**
 * The sandboxes with the demo master data and no work orders or invoices: the demo work orders and the
 * demo agreement invoice share their numbers (and so their workflow IDs) with every other test, so they
 * are deleted, as a Field Service user would.
 */
export async function startReconcileStack(
  prefix: string,
  env: Parameters<typeof startStack>[2] = {},
): Promise<Stack> {
  const stack = await startStack(prefix, {}, env);
  for (const number of DEMO_WORK_ORDERS)
    await stack.deleteInDataverse(`msdyn_workorders(msdyn_name='${number}')`);
  const { value } = await stack.dataverse<{ value: { invoiceid: string }[] }>(
    `invoices?$filter=invoicenumber eq '${DEMO_INVOICE}'&$select=invoiceid`,
  );
  for (const { invoiceid } of value) await stack.deleteInDataverse(`invoices(${invoiceid})`);
  return stack;
}

/**
 * Reconciles as `fsfo reconcile` does, an hour after the real clock, so the work orders the test has
 * just written are judged rather than counted in flight (the in-flight window has its own test).
 */
export function reconcile(
  client: Client,
  stack: Stack,
  options: ReconcileRunOptions = {},
): Promise<ReconcileOutput> {
  return reconcileInProcess(
    client,
    stack.config,
    loadMappingProject(stack.config.mappingProject, connectorCatalog()),
    {
      now: new Date(Date.now() + IN_FLIGHT_WINDOW_MS + 60 * 60_000),
      ...options,
    },
  );
}

/**
 * What a join test works with: worker + Temporal + the sandboxes, and the steps of its pattern. Each
 * test starts from a state reconcile reports clean (`expectClean`), causes one drift as a Field Service
 * or F&O user would, checks that reconcile reports exactly that drift with its fix (`expectDrifts`), and
 * then that `--fix` repairs it and all is clean again (`expectRepaired`), or that only a person can
 * (`expectOnlyAPerson`).
 */
export interface JoinTestbed {
  readonly env: TestWorkflowEnvironment;
  readonly stack: Stack;
  startWorker(): Promise<void>;
  run(options?: ReconcileRunOptions): Promise<ReconcileOutput>;
  /** Reconcile finds nothing, and a `--fix` then starts nothing and writes nothing. */
  expectClean(): Promise<void>;
  /** Reconcile reports exactly `drifts` (and counts them so); the report, for more checks. */
  expectDrifts(drifts: readonly unknown[]): Promise<ReconcileOutput>;
  /** `--fix` runs exactly `repairs`; once `settled` (their workflows have done the work), all is clean. */
  expectRepaired(repairs: readonly RepairOutcome[], settled: () => Promise<unknown>): Promise<void>;
  /** `--fix` on drift no workflow can repair: it lists it for a person and starts or writes nothing. */
  expectOnlyAPerson(): Promise<void>;
  /** Requests the sandboxes received since `resetStats`. */
  requests(): Promise<number>;
}

/**
 * Registers the hooks of a join test file and returns its testbed: the run's Temporal server (or, with
 * `namespace`, one of the `TEST_NAMESPACES` for a file that runs one of the product's schedules under its fixed
 * ID), a reconcile stack per test, and a worker once the test starts one. `cleanUp` runs after each test,
 * once its worker has stopped.
 */
export function joinTestbed(
  prefix: string,
  options: { namespace?: string; cleanUp?: (bed: JoinTestbed) => Promise<unknown> } = {},
): JoinTestbed {
  let env: TestWorkflowEnvironment | undefined;
  let workflowBundle: WorkflowBundleWithSourceMap;
  let stack: Stack | undefined;
  let worker: TestWorker | undefined;

  const bed: JoinTestbed = {
    get env() {
      if (!env) throw new Error('the testbed has no Temporal yet: use it in a test');
      return env;
    },
    get stack() {
      if (!stack) throw new Error('the testbed has no stack yet: use it in a test');
      return stack;
    },
    async startWorker() {
      worker = await inProcessWorker(bed.env, bed.stack, workflowBundle);
    },
    run: (runOptions = {}) => reconcile(bed.env.client, bed.stack, runOptions),
    async expectClean() {
      const report = await bed.run();
      expect(report.drifts).toEqual([]);
      expect(totalDrifts(report.counts)).toBe(0);
      await resetStats(bed.stack);
      expect((await bed.run({ fix: true })).repairs).toEqual([]);
      expect(await writes(bed.stack)).toEqual([]);
    },
    async expectDrifts(drifts) {
      const report = await bed.run();
      expect(report.drifts).toEqual(drifts);
      expect(totalDrifts(report.counts)).toBe(drifts.length);
      return report;
    },
    async expectRepaired(repairs, settled) {
      expect((await bed.run({ fix: true })).repairs).toEqual(repairs);
      await settled();
      await bed.expectClean();
    },
    async expectOnlyAPerson() {
      await resetStats(bed.stack);
      const fixed = await bed.run({ fix: true });
      expect(fixed.repairs).toEqual([]);
      expect(fixed.drifts.length).toBeGreaterThan(0);
      expect(fixed.drifts.every((drift) => drift.fix.person && !drift.fix.repair)).toBe(true);
      expect(await writes(bed.stack)).toEqual([]);
    },
    async requests() {
      let total = 0;
      for (const service of ['dataverse', 'finance'] as const) {
        const stats = await bed.stack.control(service, 'stats', undefined, 'GET');
        total += ((await stats.json()) as { total: number }).total;
      }
      return total;
    },
  };

  beforeAll(async () => {
    env = await connectToTestServer(options.namespace);
    workflowBundle = await bundleWorkflows();
  });
  beforeEach(async () => {
    const namespace = options.namespace ? { TEMPORAL_NAMESPACE: options.namespace } : {};
    stack = await startReconcileStack(prefix, namespace);
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await options.cleanUp?.(bed);
    await stack?.close();
    stack = undefined;
  });
  afterAll(() => env?.teardown());
  return bed;
}

/** Sends a request to the F&O OData service as an F&O user (PATCH with `body`, or DELETE). */
export async function asFinanceUser(
  stack: Stack,
  method: 'PATCH' | 'DELETE',
  path: string,
  body?: Record<string, unknown>,
): Promise<void> {
  const { urls, app } = stack.sandboxes;
  const token = await fetch(`${urls.token}/${app.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'client_credentials',
      scope: `${urls.finance}/.default`,
    }),
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const response = await fetch(`${urls.finance}/data/${path}`, {
    method,
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

/** Polls until `check` says yes, for at most 30 s. */
export async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await delay(100);
  }
}

/** Waits until Temporal visibility (what reconcile reads) shows the workflow of `number` as `condition` says. */
export const visible = (
  client: Client,
  key: SearchAttributeKey<typeof SearchAttributeType.KEYWORD>,
  number: string,
  condition: string,
) =>
  until(`visibility shows ${number} with ${condition}`, async () => {
    const query = `${key.name} = '${number}' AND ${condition}`;
    return (await client.workflow.count(query)).count > 0;
  });

/** Writes (anything but reads) the sandboxes received since `resetStats`. */
export async function writes(stack: Stack): Promise<string[]> {
  const found: string[] = [];
  for (const service of ['dataverse', 'finance'] as const) {
    const stats = (await (await stack.control(service, 'stats', undefined, 'GET')).json()) as {
      requests: { method: string; entitySet: string; count: number }[];
    };
    for (const request of stats.requests) {
      if (request.method !== 'GET') found.push(`${service} ${request.method} ${request.entitySet}`);
    }
  }
  return found;
}

export async function resetStats(stack: Stack): Promise<void> {
  for (const service of ['dataverse', 'finance'] as const)
    await stack.control(service, 'stats', undefined, 'DELETE');
}

/** Polls until `check` passes (an assertion that throws until then). */
export async function eventually(check: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await delay(150);
    }
  }
}
