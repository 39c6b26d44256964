import type { BundleOptions } from '@temporalio/worker';

/**
 * How the workflows are bundled, everywhere they are: the build (`scripts/bundle-workflows.ts`), a
 * worker that bundles at start, the tests and the replay of recorded histories. Sharing a module across
 * workflows changes what they run, so every bundle must share the same ones.
 */
export const workflowBundleOptions = {
  workflowsPath: require.resolve('../workflows'),
  preloadModules: [require.resolve('../workflows/shared-modules')],
} satisfies Pick<BundleOptions, 'workflowsPath' | 'preloadModules'>;
