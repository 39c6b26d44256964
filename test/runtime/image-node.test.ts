import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { workOrderWorkflowId } from '../../client/starters/work-order';
import {
  IMAGE_NODE_VERSION,
  isNodeReleaseInstalled,
  nodeReleaseMissing,
  nodeReleasePath,
} from '../../scripts/node-release';
import { WORKER_NODE_FLAGS } from '../../worker/node-flags';
import type { workOrderInvoicing } from '../../workflows';
import { type BuiltApp, buildApp } from '../support/built-app';
import { createWorkOrder, SystemStatus } from '../support/field-service';
import { freePort } from '../support/ports';
import { sandboxEnvironment, startStack, type Stack } from '../support/stack';
import { connectToTestServer } from '../support/temporal';
import { waitForStage } from '../support/work-order-stage';

// The product as the image runs it: `npm run build`'s JavaScript with production dependencies only, on the
// image's Node (installed into .tools/ by scripts/node-release.ts), not on the Node running Jest.
const NODE = nodeReleasePath();
const WEBHOOK_KEY = 'image-node-test-key';

let app: BuiltApp;
let env: TestWorkflowEnvironment;
const processes: AppProcess[] = [];

beforeAll(async () => {
  if (!isNodeReleaseInstalled()) throw new Error(nodeReleaseMissing());
  env = await connectToTestServer();
  app = await buildApp();
}, 180_000);
afterEach(async () => {
  await Promise.all(processes.splice(0).map((process) => process.stop()));
});
afterAll(async () => {
  app?.remove();
  await env?.teardown();
});

interface AppProcess {
  /** Resolves when the process has printed `text`; fails with its output if it exits first. */
  printed(text: string): Promise<void>;
  stop(): Promise<number | null>;
}

function startInApp(args: string[], childEnv: NodeJS.ProcessEnv): AppProcess {
  const child: ChildProcessWithoutNullStreams = spawn(NODE, args, { cwd: app.dir, env: childEnv });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const process: AppProcess = {
    printed: async (text) => {
      const deadline = Date.now() + 60_000;
      while (!output.includes(text)) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`${args.join(' ')} did not print "${text}":\n${output}`);
        await delay(100);
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  processes.push(process);
  return process;
}

test(`the Node release is the image's, ${IMAGE_NODE_VERSION}`, async () => {
  const { stdout } = await promisify(execFile)(NODE, ['--version']);
  expect(stdout.trim()).toBe(`v${IMAGE_NODE_VERSION}`);
});

test('the built worker, webhook and CLI take a work order to its invoice on the image Node, with production dependencies only', async () => {
  const webhookPort = await freePort();
  const stack: Stack = await startStack('image-node', {
    businessEventUrl: `http://127.0.0.1:${webhookPort}/webhooks/fno/business-events?code=${WEBHOOK_KEY}`,
  });
  try {
    const { config, sandboxes } = stack;
    const productEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
      ...sandboxEnvironment(sandboxes),
      WEBHOOK_PORT: String(webhookPort),
      WEBHOOK_SECRET: WEBHOOK_KEY,
    };
    const worker = startInApp([...WORKER_NODE_FLAGS, 'dist/worker/main.js'], {
      ...productEnv,
      WORKFLOW_BUNDLE: join(app.dir, 'dist', 'workflow-bundle.js'),
    });
    const webhook = startInApp(['dist/client/webhook/main.js'], productEnv);
    await worker.printed('Worker polling');
    await webhook.printed('Webhooks on');
    const fsfo = (...args: string[]) =>
      promisify(execFile)(NODE, [app.cliBin, ...args], { cwd: app.dir, env: productEnv });

    const number = await createWorkOrder(stack, {
      status: SystemStatus.Completed,
      customer: 'US-003',
      products: [{ product: 'P-1000', used: true, allocated: true, estimate: 2, quantity: 3, price: 45 }],
      services: [{ service: 'S-3000', used: true, estimateMinutes: 60, minutes: 90, price: 80 }],
    });
    await fsfo('work-order', 'start', number);
    const handle = env.client.workflow.getHandle<typeof workOrderInvoicing>(workOrderWorkflowId(number));
    await waitForStage(handle, 'AwaitingApproval');
    const { value: lines } = await stack.finance<{
      value: { ProductNumber: string; OrderedSalesQuantity: number }[];
    }>(`CDSSalesOrderLines?$filter=SalesOrderNumber eq '${number}'&$orderby=LineCreationSequenceNumber`);
    expect(lines.map((line) => [line.ProductNumber, line.OrderedSalesQuantity])).toEqual([
      ['S-3000', 1.5],
      ['P-1000', 3],
    ]);

    await fsfo('work-order', 'approve', number, '--by', 'dana@contoso.com');
    await waitForStage(handle, 'AwaitingInvoice');
    const posted = await stack.control('finance', `sales-orders/usmf/${number}/post-invoice`);
    expect(posted.status).toBe(200);
    const invoiceNumber = ((await posted.json()) as { InvoiceNumber: string }).InvoiceNumber;
    // F&O's business event reaches the webhook, which tells the workflow.
    await waitForStage(handle, 'Invoiced');
    expect(
      await stack.dataverse(`msdyn_workorders(msdyn_name='${number}')?$select=msdynce_invoicenumber`),
    ).toMatchObject({ msdynce_invoicenumber: invoiceNumber });
    expect((await fsfo('work-order', 'status', number)).stdout).toMatch(/Stage:\s+Invoiced/);
  } finally {
    await stack.close();
  }
}, 150_000);

test('the built sandboxes serve on the image Node and save their state when stopped', async () => {
  const [token, dataverse, finance] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'fsfo-image-sandboxes-'));
  try {
    const sandboxes = startInApp(['dist/sandboxes/main.js'], {
      PATH: process.env.PATH,
      FSFO_DATA_DIR: dataDir,
      SANDBOX_TOKEN_PORT: String(token),
      SANDBOX_DATAVERSE_PORT: String(dataverse),
      SANDBOX_FINANCE_PORT: String(finance),
    });
    await sandboxes.printed('Finance and Ops:');
    const response = await fetch(`http://127.0.0.1:${finance}/_sandbox/stats`);
    expect(response.status).toBe(200);
    expect(await sandboxes.stop()).toBe(0);
    expect(existsSync(join(dataDir, 'sandboxes', 'state.json'))).toBe(true);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
