import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from '../../scripts/build';

const ROOT = resolve(__dirname, '..', '..');

/** The product as the Docker image holds it, in a folder of its own. */
export interface BuiltApp {
  dir: string;
  /** The file `package.json`'s `bin` names for `fsfo`. */
  cliBin: string;
  remove(): void;
}

interface LockedPackage {
  dev?: boolean;
}

/**
 * The packages `npm prune --omit=dev` keeps: the lock file marks every package only development needs
 * `dev`. Only top-level folders: a nested one comes with the package it is nested in.
 */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockedPackage>;
  };
  return Object.entries(lock.packages)
    .filter(([path, pkg]) => /^node_modules\/(@[^/]+\/)?[^/@]+$/.test(path) && !pkg.dev)
    .map(([path]) => path.slice('node_modules/'.length));
}

/**
 * `npm run build` into a temporary folder laid out as the image's `/app`: `dist/`, `package.json`, and a
 * `node_modules/` of the production dependencies only (links into the checkout's), so a production entry
 * point that needs a development dependency fails to load here as in the image.
 */
export async function buildApp(): Promise<BuiltApp> {
  const dir = mkdtempSync(join(tmpdir(), 'fsfo-app-'));
  try {
    await build(join(dir, 'dist'));
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    for (const name of productionPackages()) {
      const installed = join(ROOT, 'node_modules', name);
      // Optional packages of another platform are in the lock file, not installed.
      if (!existsSync(installed)) continue;
      const link = join(dir, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(installed, link, 'dir');
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const bin = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin: { fsfo: string } }).bin;
  return { dir, cliBin: join(dir, bin.fsfo), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
