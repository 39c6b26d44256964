import { writeFileSync } from 'node:fs';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
// Evaluated before this module's body: the command has parsed its options, read the configuration and
// the mapping project, and waits for its first connection when the sampling below starts.
import '../../client/cli';

/**
 * `fsfo <args>` (the CLI, `client/cli.ts`) in this process, with its memory watched for the reconcile
 * benchmark: heap and RSS sampled every 10 ms and after every garbage collection, so a run of a second
 * still measures something; at exit the figures go to the JSON file `BENCH_MEMORY_OUT` names.
 */
const out = process.env.BENCH_MEMORY_OUT;
if (!out) throw new Error('BENCH_MEMORY_OUT names the file the memory figures go to');

const SAMPLE_EVERY_MS = 10;
const figures = {
  /** Heap in use and RSS once the CLI is loaded, before the command has read anything. */
  loaded: { heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss },
  peakHeapUsed: 0,
  /** The largest heap left after a major (mark-sweep) collection: what the command really holds. */
  peakHeapAfterMajorGc: 0,
  majorGcs: 0,
  /** Heap left after each major collection, in MB, in order: flat when memory does not grow with the count. */
  heapAfterEachMajorGcMb: [] as number[],
  samples: 0,
  peakRss: 0,
  cpuSeconds: 0,
};

function sample(): number {
  const { heapUsed, rss } = process.memoryUsage();
  figures.peakHeapUsed = Math.max(figures.peakHeapUsed, heapUsed);
  figures.peakRss = Math.max(figures.peakRss, rss);
  figures.samples++;
  return heapUsed;
}

setInterval(sample, SAMPLE_EVERY_MS).unref();
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const heapUsed = sample();
    const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
    if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      figures.majorGcs++;
      figures.heapAfterEachMajorGcMb.push(Math.round(heapUsed / 2 ** 20));
      figures.peakHeapAfterMajorGc = Math.max(figures.peakHeapAfterMajorGc, heapUsed);
    }
  }
}).observe({ entryTypes: ['gc'] });

process.on('exit', () => {
  sample();
  const cpu = process.cpuUsage();
  figures.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // maxRSS (kB): the kernel's peak, which sampling can miss.
  figures.peakRss = Math.max(figures.peakRss, process.resourceUsage().maxRSS * 1024);
  writeFileSync(out, JSON.stringify(figures));
});
