/**
 * Records the event histories that test/workflows/replay.test.ts replays against the current workflow
 * code. Until the first release, run it after any change to a workflow's commands:
 *
 *   npx tsx test/workflows/record-histories.ts [name prefix, e.g. work-order]
 *
 * After it, recorded histories are kept and a change is versioned instead (docs/VERSIONING.md).
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { workflowBundleOptions } from '../../worker/workflow-bundle';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startDevServer } from '../../scripts/dev-server';
import { findOrInstallTemporal } from '../../scripts/temporal-cli';
import { agreementInvoiceWorkflowId, startAgreementInvoice } from '../../client/starters/agreement-invoice';
import { createWorker } from '../../worker/worker';
import { workOrderInvoicing } from '../../workflows';
import {
  freeTextInvoicePostedSignal,
  statusQuery as agreementStatusQuery,
} from '../../workflows/agreement-invoice/messages';
import {
  approveInvoicingUpdate,
  invoicePostedSignal,
  rejectInvoicingUpdate,
  statusQuery,
  workOrderChangedSignal,
} from '../../workflows/work-order/messages';
import { createAgreementInvoice } from '../agreement-invoice/field-service-invoices';
import { startStack } from '../support/stack';
import { FakeSystems } from './work-order-fakes';
import { waitForStage } from '../support/work-order-stage';

type Handle = WorkflowHandle<typeof workOrderInvoicing>;

const scenarios: Record<string, (handle: Handle, systems: FakeSystems) => Promise<void>> = {
  'work-order-happy-path': async (handle, systems) => {
    await waitForStage(handle, 'AwaitingApproval');
    await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
    await waitForStage(handle, 'AwaitingInvoice');
    await handle.signal(workOrderChangedSignal, { etag: systems.etag }); // the watcher reports the close
    const invoice = systems.postInvoice('WO-REPLAY');
    await handle.signal(invoicePostedSignal, { invoiceNumber: invoice.invoiceNumber });
  },
  'work-order-reject-then-approve': async (handle, systems) => {
    await waitForStage(handle, 'AwaitingApproval');
    await handle.executeUpdate(rejectInvoicingUpdate, {
      args: [{ rejectedBy: 'dana', reason: 'labour missing' }],
    });
    await waitForStage(handle, 'Rejected');
    while (!(await handle.query(statusQuery)).waitingFor.startsWith('the technician')) await delay(100);
    systems.version = 2;
    await handle.signal(workOrderChangedSignal);
    await waitForStage(handle, 'AwaitingApproval');
    await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana' }] });
    await waitForStage(handle, 'AwaitingInvoice');
    const invoice = systems.postInvoice('WO-REPLAY');
    await handle.signal(invoicePostedSignal, { invoiceNumber: invoice.invoiceNumber });
  },
  'work-order-canceled-awaiting-approval': async (handle, systems) => {
    await waitForStage(handle, 'AwaitingApproval');
    systems.status = 'ClosedCanceled';
    systems.version = 2;
    await handle.signal(workOrderChangedSignal);
  },
};

/** Writes a workflow's history as the CLI's JSON export (what Temporal Web downloads and `runReplayHistory` reads). */
function saveHistory(env: TestWorkflowEnvironment, name: string, workflowId: string): void {
  const file = join(__dirname, 'histories', `${name}.json`);
  const json = execFileSync(
    findOrInstallTemporal('cli')!,
    ['workflow', 'show', '--workflow-id', workflowId, '--address', env.address, '--output', 'json'],
    { encoding: 'utf8' },
  );
  writeFileSync(file, json);
  console.log(`wrote ${file}`);
}

/** An agreement invoice against the sandboxes: approved, posted in F&O, recorded in Field Service. */
async function recordAgreementInvoice(env: TestWorkflowEnvironment): Promise<void> {
  process.env.TEMPORAL_TEST_ADDRESS = env.address;
  const stack = await startStack('replay-agreement-invoice');
  try {
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      config: stack.config,
    });
    await worker.runUntil(async () => {
      const invoice = await createAgreementInvoice(stack, {
        customer: 'US-002',
        invoiceDate: '2026-02-28',
        lines: [{ product: 'S-3000', description: 'Maintenance visit', quantity: 2, price: 80 }],
      });
      await startAgreementInvoice(env.client, stack.config, invoice.invoiceNumber);
      const handle = env.client.workflow.getHandle(agreementInvoiceWorkflowId(invoice.invoiceNumber));
      const stageOf = async () => (await handle.query(agreementStatusQuery)).stage;
      while ((await stageOf()) !== 'AwaitingApproval') await delay(100);
      await handle.executeUpdate(approveInvoicingUpdate, { args: [{ approvedBy: 'dana@contoso.com' }] });
      while ((await stageOf()) !== 'AwaitingPosting') await delay(100);
      await stack.control('finance', `free-text-invoices/usmf/${invoice.invoiceNumber}/post`);
      await handle.signal(freeTextInvoicePostedSignal);
      await handle.result();
      saveHistory(env, 'agreement-invoice-posted', handle.workflowId);
    });
  } finally {
    await stack.close();
  }
}

async function main(only = ''): Promise<void> {
  const env = await startDevServer();
  try {
    for (const [name, drive] of Object.entries(scenarios).filter(([name]) => name.startsWith(only))) {
      const systems = new FakeSystems();
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: name,
        workflowsPath: workflowBundleOptions.workflowsPath,
        bundlerOptions: { preloadModules: workflowBundleOptions.preloadModules },
        activities: systems.activities(),
      });
      await worker.runUntil(async () => {
        const handle = await env.client.workflow.start(workOrderInvoicing, {
          workflowId: `work-order-WO-REPLAY-${name}`,
          taskQueue: name,
          args: [{ workOrderNumber: 'WO-REPLAY', legalEntity: 'usmf', approvalPolicy: 'always' }],
        });
        await drive(handle, systems);
        await handle.result();
        saveHistory(env, name, handle.workflowId);
      });
    }
    if ('agreement-invoice-posted'.startsWith(only)) await recordAgreementInvoice(env);
  } finally {
    await env.teardown();
  }
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
