import type { BundleOptions } from '@temporalio/worker';

/**
 * How the workflows are bundled, the same for the build (`npm run build`), a worker that bundles at start
 * and the tests. The SDK evaluates the bundle's modules once per cached workflow, so that no workflow
 * sees another's module state; a preloaded module is evaluated once and shared (frozen) instead. zod
 * keeps no per-workflow state, and its own copy was the larger part of each cached workflow's memory.
 */
export const WORKFLOW_BUNDLE_OPTIONS = {
  workflowsPath: require.resolve('../workflows'),
  preloadModules: ['zod'],
} satisfies Partial<BundleOptions>;
