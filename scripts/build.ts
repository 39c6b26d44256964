/**
 * `npm run build`: the product as production runs it, in plain JavaScript. Compiles the sources
 * (`tsconfig.build.json`: the product and the sandboxes, not `scripts/` or `test/`), bundles the
 * workflows into `workflow-bundle.js` and copies the mapping templates beside the compiled loader.
 *
 *   npx tsx scripts/build.ts [out-dir]     (default dist)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { writeWorkflowBundle } from './bundle-workflows';

const ROOT = resolve(__dirname, '..');

export async function build(outDir: string): Promise<void> {
  if (!relative(outDir, ROOT).startsWith('..'))
    throw new Error(`refusing to build into ${outDir}: it holds the sources`);
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
    { cwd: ROOT, stdio: 'inherit' },
  );
  await writeWorkflowBundle(join(outDir, 'workflow-bundle.js'));
  cpSync(join(ROOT, 'mappings', 'templates'), join(outDir, 'mappings', 'templates'), { recursive: true });
}

if (require.main === module) {
  const outDir = resolve(ROOT, process.argv[2] ?? 'dist');
  build(outDir)
    .then(() => console.log(`built ${outDir}`))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
