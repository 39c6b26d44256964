import { startEntry } from '../support/entry-process';
import { freePort } from '../support/ports';
import { sandboxEnvironment, type Stack, startStack } from '../support/stack';

// The webhook and the CLI with nothing listening at TEMPORAL_ADDRESS: they wait, then give up in one line.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('client-startup-wait');
});
afterAll(() => stack.close());

async function envWithTemporalDown(): Promise<{ env: NodeJS.ProcessEnv; address: string }> {
  const address = `127.0.0.1:${await freePort()}`;
  const { sandboxes } = stack;
  return {
    address,
    env: {
      TEMPORAL_ADDRESS: address,
      STARTUP_WAIT_LIMIT: '3s',
      ...sandboxEnvironment(sandboxes),
      WEBHOOK_SECRET: 'a-webhook-key-of-some-length',
      WEBHOOK_PORT: String(await freePort()),
    },
  };
}

const expectedLines = (address: string) => [
  `Waiting for Temporal at ${address} (namespace default): connection refused; retrying for up to 3s`,
  `Temporal at ${address} (namespace default) did not answer within 3s (connection refused): check that the ` +
    'Temporal server runs and TEMPORAL_ADDRESS; STARTUP_WAIT_LIMIT sets how long to wait',
];

test('the webhook waits for Temporal, naming its address, and at the limit exits 1 with one line', async () => {
  const { env, address } = await envWithTemporalDown();
  const webhook = startEntry('client/webhook/main.ts', env);

  expect(await webhook.exited()).toBe(1);
  expect(webhook.stderr().trim().split('\n')).toEqual(expectedLines(address));
  expect(webhook.stdout()).not.toContain('Webhooks on');
}, 60_000);

test('the CLI waits for Temporal, naming its address, and at the limit exits 1 with one line', async () => {
  const { env, address } = await envWithTemporalDown();
  const cli = startEntry('client/cli.ts', env, ['work-order', 'status', 'WO-00001']);

  expect(await cli.exited()).toBe(1);
  expect(cli.stderr().trim().split('\n')).toEqual(expectedLines(address));
}, 60_000);
