import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { findOrInstallTemporal } from '../../scripts/temporal-cli';

const ROOT = resolve(__dirname, '..', '..');

function runScript(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/temporal-cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

test.each([
  ['cli', [], /^temporal version \d+\.\d+\.\d+/],
  ['test-server', ['--test-server'], /\S/],
] as const)(
  'the %s binary is found or installed, and a second run is quiet',
  (binary, args, versionPattern) => {
    const path = findOrInstallTemporal(binary);
    expect(path).toBeDefined();
    if (binary === 'cli')
      expect(execFileSync(path!, ['--version'], { encoding: 'utf8' })).toMatch(versionPattern);

    const again = runScript([...args]);
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toBe(path);
    expect(again.stderr).toBe('');
  },
);

test('an explicit TEMPORAL_CLI_PATH wins, and a wrong one is an error that names it', () => {
  const real = findOrInstallTemporal('cli')!;
  expect(runScript([], { TEMPORAL_CLI_PATH: real }).stdout.trim()).toBe(real);

  const wrong = runScript([], { TEMPORAL_CLI_PATH: '/nonexistent/temporal' });
  expect(wrong.status).not.toBe(0);
  expect(wrong.stderr).toContain('TEMPORAL_CLI_PATH=/nonexistent/temporal is not an executable file');
});
