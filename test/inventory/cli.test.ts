import { registerInventoryCommands } from '../../client/commands/inventory';
import { startStack, type Stack } from '../support/stack';
import { runCli } from '../support/cli';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack('inventory-cli');
});
afterAll(() => stack?.close());

/** Runs `fsfo inventory ...` in process. */
const fsfo = (...args: string[]) => runCli(registerInventoryCommands, stack.config, 'inventory', args);

test('compare lists the levels that differ and exits 1; once equal it says so and exits 0', async () => {
  // The demo's work orders used 3 P-1000 and 1 P-1001 from van 13 that F&O has not booked.
  const differing = await fsfo('compare');
  expect(differing.exitCode).toBe(1);
  expect(differing.stdout).toMatch(/^13\s+P-1000\s+17\s+20\s+-3$/m);
  expect(differing.stdout).toMatch(/^13\s+P-1001\s+34\s+35\s+-1$/m);
  expect(differing.stdout).toMatch(/2 of \d+ levels differ$/);

  for (const [item, onHand] of [
    ['P-1000', 17],
    ['P-1001', 34],
  ] as const)
    expect((await stack.control('finance', `on-hand/usmf/13/${item}`, { onHand }, 'PUT')).status).toBe(200);
  const equal = await fsfo('compare');
  expect(equal.exitCode).toBeUndefined();
  expect(equal.stdout).toMatch(/^0 of \d+ levels differ$/);
});

test('status of a document without a workflow says how to start it', async () => {
  const missing = await fsfo('adjustment', 'status', 'ADJ-NONE');
  expect(missing.exitCode).toBe(1);
  expect(missing.stderr).toBe(
    'No workflow for adjustment ADJ-NONE (start it with "fsfo inventory adjustment start").',
  );
});
