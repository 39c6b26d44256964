import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_WORKER_SETTINGS } from '../../config/worker';
import { memoryBoundsReport } from '../../worker/memory-bounds';
import { WORKER_NODE_FLAGS } from '../../worker/node-flags';

const root = resolve(__dirname, '..', '..');

test('npm run worker, the Docker image and compose start the worker with its Node flags', () => {
  const scripts = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).scripts;
  expect(scripts.worker).toBe(`node ${WORKER_NODE_FLAGS.join(' ')} --import tsx worker/main.ts`);
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(resolve(root, 'Dockerfile'), 'utf8'))?.[1];
  expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...WORKER_NODE_FLAGS, 'dist/worker/main.js']);
  const compose = readFileSync(resolve(root, 'docker-compose.yml'), 'utf8');
  expect(compose).toContain(
    `command: [${['node', ...WORKER_NODE_FLAGS, 'dist/worker/main.js'].map((arg) => `'${arg}'`).join(', ')}]`,
  );
});

function mainHeapLimit(flags: string[]): number {
  const probe = "process.stdout.write(String(require('node:v8').getHeapStatistics().heap_size_limit))";
  const result = spawnSync(process.execPath, [...flags, '-e', probe], { encoding: 'utf8', timeout: 30_000 });
  return Number(result.stdout);
}

test('the worker says what bounds its memory, and warns when it runs without its flags', () => {
  const withFlags = memoryBoundsReport(DEFAULT_WORKER_SETTINGS, mainHeapLimit(WORKER_NODE_FLAGS));
  expect(withFlags.line).toMatch(
    /^Memory: 100 workflows cached, workflow heap 128 MB, main heap 1[34]\d MB, 10 activities and 10 workflow tasks at once$/,
  );
  expect(withFlags.warning).toBeUndefined();

  const without = memoryBoundsReport(DEFAULT_WORKER_SETTINGS, mainHeapLimit([]));
  expect(without.warning).toContain(`start the worker with ${WORKER_NODE_FLAGS.join(' ')}`);
});
