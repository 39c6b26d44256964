import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { findOrInstallTemporal } from '../../scripts/temporal-cli';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { workOrderInvoicing } from '../../workflows';
import { approveInvoicingUpdate, statusQuery } from '../../workflows/work-order/messages';
import { bundleWorkflows } from '../support/temporal';
import { FakeSystems } from './work-order-fakes';

// Time skipping is global to a test server, so this file has a Java time-skipping server of its own.
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const path = findOrInstallTemporal('test-server');
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } },
  });
  // The Java test server knows no custom search attributes until told (and cannot list them).
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      SEARCH_ATTRIBUTES.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
    ),
  });
});
afterAll(() => env?.teardown());

test('an invoice posted 30 days after approval completes the flow without any signal', async () => {
  const systems = new FakeSystems();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'long-wait',
    workflowBundle: await bundleWorkflows(),
    activities: systems.activities(),
  });
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(workOrderInvoicing, {
      workflowId: 'work-order-WO-LONG',
      taskQueue: 'long-wait',
      args: [{ workOrderNumber: 'WO-LONG', legalEntity: 'usmf', approvalPolicy: 'always' }],
    });
    while ((await handle.query(statusQuery)).stage !== 'AwaitingApproval') await env.sleep('1 second');
    await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana' }] });

    await env.sleep('30 days');
    systems.postInvoice('WO-LONG');
    const result = await handle.result(); // the next daily re-check finds the invoice

    expect(result.stage).toBe('Invoiced');
    expect(result.invoice?.invoiceNumber).toBe('INV-1');
    // One look-up a day while waiting: found on the first re-check after day 30, and no hot loop.
    expect(systems.invoiceLookups).toBeGreaterThanOrEqual(30);
    expect(systems.invoiceLookups).toBeLessThanOrEqual(31);
    // Unsignalled look-ups go through the worker's shared index of posted invoices, so what the wait
    // costs F&O does not grow with the number of waiting workflows (test/e2e/invoice-wait.test.ts).
    expect(new Set(systems.invoiceLookupsSignalled)).toEqual(new Set([false]));
  });
});
