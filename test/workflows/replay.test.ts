import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundleOptions } from '../../worker/workflow-bundle';

// Saved histories of real runs (test/workflows/record-histories.ts) replayed against today's workflow
// code: a change that would break the workflows already running in production fails here.
const dir = join(__dirname, 'histories');
const histories = readdirSync(dir).filter((file) => file.endsWith('.json'));

test('there are histories to replay', () => {
  expect(histories).toEqual([
    'agreement-invoice-posted.json',
    'purchase-order-received.json',
    'work-order-canceled-awaiting-approval.json',
    'work-order-happy-path.json',
    'work-order-reject-then-approve.json',
  ]);
});

test.each(histories)('%s replays without nondeterminism', async (file) => {
  const history = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  await Worker.runReplayHistory(
    {
      workflowsPath: workflowBundleOptions.workflowsPath,
      bundlerOptions: { preloadModules: workflowBundleOptions.preloadModules },
    },
    history,
    `replay-${file}`,
  );
});
