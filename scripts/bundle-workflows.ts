/**
 * Bundles the workflows once, at build time, into one file a worker loads with WORKFLOW_BUNDLE: the
 * worker then starts without webpack, and its memory does not keep what bundling took. A second file
 * beside it (`.traced.js`) has the OpenTelemetry workflow interceptors, for a worker that traces.
 *
 *   npx tsx scripts/bundle-workflows.ts [out-file]     (default dist/workflow-bundle.js)
 */
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  tracedBundlePath,
  tracedWorkflowBundleOptions,
  workflowBundleOptions,
} from '../worker/workflow-bundle';

/** The plain bundle, or with `traced` the one with the OpenTelemetry workflow interceptors. */
export async function writeWorkflowBundle(file: string, traced = false): Promise<void> {
  const { code } = await bundleWorkflowCode({
    ...(traced ? tracedWorkflowBundleOptions : workflowBundleOptions),
    logger: new DefaultLogger('WARN'),
  });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, code);
}

if (require.main === module) {
  const file = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  writeWorkflowBundle(file)
    .then(() => writeWorkflowBundle(tracedBundlePath(file), true))
    .then(() => console.log(`wrote ${file} and ${tracedBundlePath(file)}`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
