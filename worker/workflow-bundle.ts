import type { BundleOptions } from '@temporalio/worker';

/**
 * How the workflows are bundled, everywhere they are: the build (`scripts/bundle-workflows.ts`), a
 * worker that bundles at start, the tests and the replay of recorded histories. Sharing a module across
 * workflows changes what they run, so every bundle must share the same ones.
 */
export const workflowBundleOptions = {
  workflowsPath: require.resolve('../workflows'),
  preloadModules: [require.resolve('../workflows/shared-modules')],
  workflowInterceptorModules: [] as string[],
} satisfies Pick<BundleOptions, 'workflowsPath' | 'preloadModules' | 'workflowInterceptorModules'>;

/**
 * The same with Temporal's OpenTelemetry workflow interceptors: a span for each workflow run, signal,
 * update and activity it schedules, exported through the worker's sink (`worker/tracing.ts`). Only a
 * worker that traces loads it: the interceptors evaluate OpenTelemetry's modules in every workflow
 * (docs/PERFORMANCE.md, "Tracing").
 */
export const tracedWorkflowBundleOptions = {
  ...workflowBundleOptions,
  workflowInterceptorModules: [
    require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
  ],
} satisfies Pick<BundleOptions, 'workflowsPath' | 'preloadModules' | 'workflowInterceptorModules'>;

/** Where `npm run build` writes the traced bundle: beside the plain one, `.traced.js` for `.js`. */
export const tracedBundlePath = (bundlePath: string) => bundlePath.replace(/(\.js)?$/, '.traced.js');
