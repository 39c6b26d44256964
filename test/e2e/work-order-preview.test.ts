import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { registerWorkOrderCommands } from '../../client/commands/work-order';
import { startWorkOrder, workOrderWorkflowId } from '../../client/starters/work-order';
import type { Config } from '../../config/config';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { startStack, type Stack } from '../support/stack';
import { bundleWorkflows, connectToTestServer } from '../support/temporal';
import { waitForStage } from '../support/work-order-stage';
import { inProcessWorker, type TestWorker } from '../support/workers';
import { runCli } from '../support/cli';

// Preview against worker + Temporal + the Dynamics 365 sandboxes: it reads, and writes nowhere.
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let stack: Stack;
let worker: TestWorker;

beforeAll(async () => {
  env = await connectToTestServer();
  workflowBundle = await bundleWorkflows();
  stack = await startStack('e2e-preview');
  worker = await inProcessWorker(env, stack, workflowBundle);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.close();
  await env?.teardown();
});

/** Runs `fsfo work-order ...` in process. */
const fsfo = (config: Config, ...args: string[]) =>
  runCli(registerWorkOrderCommands, config, 'work-order', args);

interface Stats {
  byMethod: Record<string, number>;
  byEntitySet: Record<string, number>;
}
const stats = async (service: 'dataverse' | 'finance') =>
  (await (await stack.control(service, 'stats', undefined, 'GET')).json()) as Stats;

async function lineId(workOrderNumber: string, line: number): Promise<string> {
  const { value } = await stack.dataverse<{ value: { msdyn_workorderproductid: string }[] }>(
    `msdyn_workorderproducts?$filter=msdyn_name eq '${workOrderNumber}-${line}'&$select=msdyn_workorderproductid`,
  );
  return value[0]!.msdyn_workorderproductid;
}

const workflowsOfQueue = async () => {
  const ids: string[] = [];
  const query = `TaskQueue = "${stack.config.temporal.taskQueue}"`;
  for await (const execution of env.client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids;
};

test('preview of a work order changed since its F&O order shows the differences and the writes, and writes nothing', async () => {
  const number = await createWorkOrder(stack, {
    status: SystemStatus.Completed,
    customer: 'US-002',
    products: [
      { product: 'P-1000', used: true, estimate: 1, quantity: 1, price: 30 },
      { product: 'P-1001', used: true, estimate: 1, quantity: 1, price: 80 },
    ],
  });
  await startWorkOrder(env.client, stack.config, number);
  const handle = env.client.workflow.getHandle(workOrderWorkflowId(number));
  await waitForStage(handle, 'AwaitingApproval');
  const historyBefore = (await handle.fetchHistory()).events?.length;

  // Changed in Field Service since: no watcher runs in this test, so nobody tells the workflow.
  await stack.updateInDataverse(`msdyn_workorderproducts(${await lineId(number, 1)})`, { msdyn_quantity: 3 });
  await stack.deleteInDataverse(`msdyn_workorderproducts(${await lineId(number, 2)})`);
  await stack.createInDataverse('msdyn_workorderproducts', {
    msdyn_name: `${number}-3`,
    msdyn_lineorder: 3,
    msdyn_linestatus: 690970001,
    msdyn_estimatequantity: 1,
    msdyn_quantity: 2,
    msdyn_estimateunitamount: 45,
    msdyn_unitamount: 45,
    'msdyn_workorder@odata.bind': `/msdyn_workorders(${await workOrderId(number)})`,
    'msdyn_product@odata.bind': `/products(productnumber='P-1000')`,
    'msdyn_unit@odata.bind': `/uoms(${await eachUnit()})`,
  });
  for (const service of ['dataverse', 'finance'] as const)
    await stack.control(service, 'stats', undefined, 'DELETE');
  const workflowsBefore = await workflowsOfQueue();

  const preview = await fsfo(stack.config, 'preview', number);
  expect(preview.stderr).toBe('');
  expect(preview.exitCode).toBeUndefined();
  expect(preview.stdout).toContain(
    `Work order ${number} → F&O sales order ${number} (CDSSalesOrderHeaders, company usmf)`,
  );
  expect(preview.stdout).toMatch(/Header: .*OrderingCustomerAccountNumber US-002/);
  expect(preview.stdout).toContain(`Differences against F&O's sales order ${number}:`);
  expect(preview.stdout).toContain('  line 1 OrderedSalesQuantity: F&O 1, work order 3');
  expect(preview.stdout).toContain('  line 2: removed (only in F&O)');
  expect(preview.stdout).toContain('  line 3: added');
  expect(preview.stdout).toMatch(
    new RegExp(`PATCH +CDSSalesOrderHeaders\\(SalesOrderNumber=${number}\\) +\\[sales order change set\\]`),
  );
  expect(preview.stdout).toMatch(/PATCH +CDSSalesOrderLines\(.*LineCreationSequenceNumber=1.*\)/);
  expect(preview.stdout).toMatch(/POST +CDSSalesOrderLines\(.*LineCreationSequenceNumber=3.*\)/);
  expect(preview.stdout).toMatch(/DELETE +CDSSalesOrderLines\(.*LineCreationSequenceNumber=2.*\)/);

  const json = JSON.parse((await fsfo(stack.config, 'preview', number, '--json')).stdout) as {
    exists: boolean;
    requests: { method: string; entitySet: string }[];
  };
  expect(json.exists).toBe(true);
  expect(json.requests.map((request) => request.method).sort()).toEqual(['DELETE', 'PATCH', 'PATCH', 'POST']);

  // A mapping file tried against the same data, validated as the worker validates it.
  const tried = await fsfo(
    stack.config,
    'preview',
    number,
    '--mapping',
    mappingFile('reference.yaml', [
      'name: reference',
      'extends: standard',
      'customFields:',
      '  CDSSalesOrderHeaders: { CustomerRequisitionNumber: string }',
      'fieldMaps:',
      '  WorkOrderHeader:',
      '    - { target: CustomerRequisitionNumber, source: msdyn_name }',
    ]),
  );
  expect(tried.stderr).toBe('');
  expect(tried.stdout).toMatch(new RegExp(`Header: .*CustomerRequisitionNumber ${number}`));
  expect(tried.stdout).toContain(`  header CustomerRequisitionNumber: F&O (none), work order ${number}`);
  const invalid = await fsfo(
    stack.config,
    'preview',
    number,
    '--mapping',
    mappingFile('typo.yaml', [
      'name: typo',
      'extends: standard',
      'fieldMaps:',
      '  WorkOrderHeader:',
      '    - { target: CustomerRequisitionNumbr, source: msdyn_name }',
    ]),
  );
  expect(invalid).toMatchObject({ stdout: '', exitCode: 2 });
  expect(invalid.stderr).toMatch(/^Invalid mapping project:\n.*typo\.yaml:5: .*CustomerRequisitionNumbr/);

  // Only GETs reached the services: no POST (a $batch is one), PATCH, PUT or DELETE, so no change set.
  for (const service of ['dataverse', 'finance'] as const) {
    const { byMethod, byEntitySet } = await stats(service);
    expect(Object.keys(byMethod)).toEqual(['GET']);
    expect(byEntitySet).not.toHaveProperty('$batch');
  }
  // F&O's order is as the workflow wrote it, and no workflow was started or told anything.
  const { value: lines } = await stack.finance<{
    value: { LineCreationSequenceNumber: number; OrderedSalesQuantity: number }[];
  }>(`CDSSalesOrderLines?$filter=SalesOrderNumber eq '${number}'&$orderby=LineCreationSequenceNumber`);
  expect(lines.map((line) => [line.LineCreationSequenceNumber, line.OrderedSalesQuantity])).toEqual([
    [1, 1],
    [2, 1],
  ]);
  expect(await workflowsOfQueue()).toEqual(workflowsBefore);
  expect((await handle.fetchHistory()).events?.length).toBe(historyBefore);
  await handle.terminate('test done');
});

let mappingDir: string;
afterAll(() => mappingDir && rmSync(mappingDir, { recursive: true, force: true }));

/** A mapping project file written at run time (a file in the repository would be formatted). */
function mappingFile(name: string, lines: string[]): string {
  mappingDir ??= mkdtempSync(path.join(tmpdir(), 'fsfo-preview-'));
  const file = path.join(mappingDir, name);
  writeFileSync(file, [...lines, ''].join('\n'));
  return file;
}

async function workOrderId(number: string): Promise<string> {
  const { value } = await stack.dataverse<{ value: { msdyn_workorderid: string }[] }>(
    `msdyn_workorders?$filter=msdyn_name eq '${number}'&$select=msdyn_workorderid`,
  );
  return value[0]!.msdyn_workorderid;
}

async function eachUnit(): Promise<string> {
  const { value } = await stack.dataverse<{ value: { uomid: string }[] }>(
    `uoms?$filter=msdyn_symbol eq 'ea'`,
  );
  return value[0]!.uomid;
}
