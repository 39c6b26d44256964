import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

/** Starts the real worker entry point; it must stop before it connects to anything. */
function startWorker(mappingProject: string) {
  return spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['worker/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      MAPPING_PROJECT: mappingProject,
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      STARTUP_WAIT_LIMIT: '1s',
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

test('the worker refuses to start with an invalid mapping project, saying file, path, field and why', () => {
  const result = startWorker('test/mappings/fixtures/invalid/missing-required-map.yaml');
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(
    'test/mappings/fixtures/invalid/missing-required-map.yaml:7: tasks[0].key[0] [field msdyn_name]: missing required map: key field msdyn_name is not mapped',
  );
  expect(result.stdout).not.toContain('Worker polling');
});

test('the worker refuses an added entity task it could not run, as it refuses an invalid mapping', () => {
  const file = 'test/mappings/fixtures/invalid/added-tasks.yaml';
  const result = startWorker(file);
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(
    `${file}:51: tasks[5].key [field accountnumber]: an added entity task runs as a record sync, which needs one destination key field`,
  );
  expect(result.stderr).toContain(
    `${file}:7: tasks[0]: task "Vendor accounts" (VendorsV2 → accounts) claims the vendors sync`,
  );
  expect(result.stdout).not.toContain('Worker polling');
});

test('the worker refuses an unknown MAPPING_PROJECT name', () => {
  const result = startWorker('standrad');
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('standrad: (top level): is neither a file path nor a shipped template');
});

test('a valid mapping project lets the worker go on to connect to Temporal', () => {
  const result = startWorker('standard');
  expect(result.stderr).not.toContain('Invalid mapping project');
  expect(result.stderr).toContain('127.0.0.1:1');
  expect(result.status).toBe(1);
});
