/**
 * The screenshots of docs/OPERATING.md, taken in a real browser from a running stack: runs `npm start`
 * (scripts/start.ts) on free ports with a fresh data directory, which leaves the demo work order WO-00003
 * awaiting approval; starts WO-00004 as an operator would (`fsfo work-order start`), which parks in
 * NeedsAttention since its product P-9000 is not maintained in F&O; opens Temporal Web
 * in headless Chromium (Debian's `chromium` package, driven by playwright-core) and saves PNGs under
 * docs/images/. Then stops the stack.
 *
 *   npx tsx scripts/docs/screenshots.ts [--chromium /usr/bin/chromium]
 */
import { Client, Connection } from '@temporalio/client';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { WEB_VIEWS, type WebView, webViewUrl } from '../../client/temporal-web';
import { workOrderWorkflowId } from '../../client/starters/work-order';
import { LOCAL_STACK } from '../../config/config';
import { statusQuery } from '../../workflows/work-order/messages';

const ROOT = resolve(__dirname, '..', '..');
const IMAGES = join(ROOT, 'docs', 'images');
const NAMESPACE = 'default';
const VIEWPORT = { width: 1280, height: 800 };

/** The list's columns as an operator sets them with "Configure Workflow Table" (kept per browser). */
const COLUMNS = ['Status', 'Workflow ID', 'IntegrationStage', 'AttentionReason'];

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error())));
    });
  });
}

/** `npm start` in its own process group, resolved once the stack is up; `stop()` ends the whole group. */
async function startStack(): Promise<{ address: string; webUrl: string; stop: () => Promise<void> }> {
  const [port, uiPort, webhookPort, tokenPort, dataversePort, financePort] = await Promise.all(
    Array.from({ length: 6 }, freePort),
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'fsfo-screenshots-'));
  const start = spawn(process.execPath, [require.resolve('tsx/cli'), 'scripts/start.ts'], {
    cwd: ROOT,
    detached: true,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      TEMPORAL_UI_PORT: String(uiPort),
      WEBHOOK_PORT: String(webhookPort),
      FS_URL: `http://127.0.0.1:${dataversePort}`,
      FNO_URL: `http://127.0.0.1:${financePort}`,
      AZURE_TOKEN_URL: `http://127.0.0.1:${tokenPort}/${LOCAL_STACK.tenantId}/oauth2/v2.0/token`,
      FSFO_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  start.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  start.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (start.exitCode === null) {
      process.kill(-start.pid!, 'SIGINT');
      await Promise.race([once(start, 'exit'), delay(30_000)]);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let waited = 0; !output.includes('The stack is up'); waited += 250) {
    if (waited > 180_000 || start.exitCode !== null) {
      await stop();
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await delay(250);
  }
  return { address: `127.0.0.1:${port}`, webUrl: `http://localhost:${uiPort}`, stop };
}

/** `fsfo work-order start <number>`, then the workflow's stage once it is `stage`. */
async function startWorkOrder(address: string, number: string, stage: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [require.resolve('tsx/cli'), 'client/cli.ts', 'work-order', 'start', number],
    { cwd: ROOT, env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: address } },
  );
  const connection = await Connection.connect({ address });
  try {
    const handle = new Client({ connection }).workflow.getHandle(workOrderWorkflowId(number));
    for (let waited = 0; (await handle.query(statusQuery)).stage !== stage; waited += 250) {
      if (waited > 60_000) throw new Error(`${number} did not reach ${stage} within 60 s`);
      await delay(250);
    }
  } finally {
    await connection.close();
  }
}

/**
 * The page at `url` once `waitForText` shows; with `tab`, after clicking the tab of that element id and
 * once its Markdown (rendered in an iframe) shows `frameText`.
 */
async function shoot(
  page: Page,
  url: string,
  waitForText: string,
  file: string,
  tab?: { id: string; frameText: string },
): Promise<void> {
  await page.goto(url);
  await page.getByText(waitForText).first().waitFor({ timeout: 60_000 });
  if (tab) {
    await page.locator(`#${tab.id}`).click();
    await page.frameLocator('iframe').last().getByText(tab.frameText).first().waitFor({ timeout: 60_000 });
  }
  await page.screenshot({ path: join(IMAGES, file) });
  console.log(`docs/images/${file}  ${url}`);
}

async function main(): Promise<void> {
  const flag = process.argv.indexOf('--chromium');
  const executablePath = flag > 0 ? process.argv[flag + 1] : '/usr/bin/chromium';
  mkdirSync(IMAGES, { recursive: true });
  // A fresh profile: nothing of a previous run (columns, cookies) shows.
  const profile = mkdtempSync(join(tmpdir(), 'fsfo-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    viewport: VIEWPORT,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  try {
    stack = await startStack();
    const { address, webUrl } = stack;
    await startWorkOrder(address, 'WO-00004', 'NeedsAttention');
    const table = { [NAMESPACE]: COLUMNS.map((label) => ({ label })) };
    await context.addInitScript({
      content: `localStorage.setItem('namespace-workflow-table-columns', ${JSON.stringify(JSON.stringify(table))});`,
    });
    const page = await context.newPage();
    const list = (view: WebView) => webViewUrl(webUrl, NAMESPACE, view);
    const workflow = (id: string) => `${webUrl}/namespaces/${NAMESPACE}/workflows/${id}`;
    await shoot(page, list(WEB_VIEWS.needsAttention), 'work-order-WO-00004', 'list-needs-attention.png');
    await shoot(page, list(WEB_VIEWS.awaitingApproval), 'work-order-WO-00003', 'list-awaiting-approval.png');
    await shoot(page, list(WEB_VIEWS.work), 'work-order-WO-00003', 'list-work.png');
    // Temporal Web 2.54 shows the summary and the current details under the User Metadata tab.
    const metadata = { id: 'user-metadata-tab', frameText: 'To do' };
    await shoot(page, workflow('work-order-WO-00004'), 'work-order-WO-00004', 'workflow-needs-attention.png');
    await shoot(
      page,
      workflow('work-order-WO-00004'),
      'work-order-WO-00004',
      'workflow-needs-attention-details.png',
      metadata,
    );
    await shoot(
      page,
      workflow('work-order-WO-00003'),
      'work-order-WO-00003',
      'workflow-awaiting-approval-details.png',
      metadata,
    );
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await stack?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
