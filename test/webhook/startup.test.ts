import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const MAIN = join(__dirname, '../../client/webhook/main.ts');

/** The webhook process run as an operator would; it must refuse before connecting to anything. */
async function runWebhook(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr: stderr.trim() };
}

test('without WEBHOOK_SECRET the webhook refuses to start: one line, exit 2', async () => {
  expect(await runWebhook([], { WEBHOOK_SECRET: '' })).toEqual({
    code: 2,
    stderr:
      'WEBHOOK_SECRET is not set: the webhook refuses to accept unauthenticated requests (set WEBHOOK_SECRET, ' +
      'at least 16 characters, or pass --insecure-loopback to run without a key on 127.0.0.1)',
  });
});

test('--insecure-loopback is refused together with a non-loopback --host', async () => {
  expect(await runWebhook(['--insecure-loopback', '--host', '0.0.0.0'], { WEBHOOK_SECRET: '' })).toEqual({
    code: 2,
    stderr:
      '--insecure-loopback listens on a loopback address only, not on 0.0.0.0: set WEBHOOK_SECRET instead',
  });
});
