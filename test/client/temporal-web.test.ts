import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { setTimeout as delay } from 'node:timers/promises';
import { customerView, WEB_VIEWS, type WebView, webViewUrl, workOrderView } from '../../client/temporal-web';
import { CustomerAccount, IntegrationStage, WorkOrderNumber } from '../../workflows/search-attributes';
import { connectToTestServer, uniqueTaskQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await connectToTestServer();
});
afterAll(() => env?.teardown());

test("each view's link opens Temporal Web's workflow list of the namespace filtered by its query", () => {
  const url = new URL(webViewUrl('http://localhost:8233/', 'fsfo-prod', WEB_VIEWS.needsAttention));
  expect(url.origin + url.pathname).toBe('http://localhost:8233/namespaces/fsfo-prod/workflows');
  expect(url.searchParams.get('query')).toBe('IntegrationStage = "NeedsAttention"');
});

test('the views list the documents waiting for a person, never the watcher runs', async () => {
  // No worker polls this queue: the workflows stay as started, with the search attributes given.
  const taskQueue = uniqueTaskQueue('web-views');
  const start = (workflowId: string, workflowType: string, stage?: string) =>
    env.client.workflow.start(workflowType, {
      workflowId: `${workflowId}-${taskQueue}`,
      taskQueue,
      typedSearchAttributes: stage
        ? [
            { key: IntegrationStage, value: stage },
            { key: WorkOrderNumber, value: `${workflowId}-${taskQueue}` },
            { key: CustomerAccount, value: `US-${taskQueue}` },
          ]
        : [],
    });
  const handles = [
    await start('parked', 'workOrderInvoicing', 'NeedsAttention'),
    await start('approval', 'workOrderInvoicing', 'AwaitingApproval'),
    await start('watcher', 'workOrderWatcher'),
  ];
  const listed = async (view: WebView, expected: number): Promise<string[]> => {
    const query = `(${view.query}) AND TaskQueue = "${taskQueue}"`;
    let ids: string[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      ids = [];
      for await (const workflow of env.client.workflow.list({ query })) ids.push(workflow.workflowId);
      if (ids.length >= expected) break;
      await delay(200);
    }
    return ids.map((id) => id.replace(`-${taskQueue}`, '')).sort();
  };
  try {
    expect(await listed(WEB_VIEWS.needsAttention, 1)).toEqual(['parked']);
    expect(await listed(WEB_VIEWS.awaitingApproval, 1)).toEqual(['approval']);
    expect(await listed(WEB_VIEWS.work, 2)).toEqual(['approval', 'parked']);
    expect(await listed(workOrderView(`parked-${taskQueue}`), 1)).toEqual(['parked']);
    expect(await listed(customerView(`US-${taskQueue}`), 2)).toEqual(['approval', 'parked']);
  } finally {
    await Promise.all(handles.map((handle) => handle.terminate('test done')));
  }
});
