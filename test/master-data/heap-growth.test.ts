import { setTimeout as delay } from 'node:timers/promises';
import { heapGrowthDuring } from './support';

// The measure the memory-bound tests compare: it must see a short run's peak, or refuse to measure it.

// The first sample's 5 ms timer is set before the run's 300 ms one, so it comes first whatever the load.
test('a run that holds 40 MB for a moment is measured at its peak, however short it is', async () => {
  const measured = await heapGrowthDuring(async () => {
    const held = Array.from({ length: 40 }, () => new Array<number>(2 ** 17).fill(0.5)); // 40 × 1 MB
    await delay(300);
    return held.length;
  });
  expect(measured.result).toBe(40);
  // Held at the peak beyond what the run left behind. (Growth above the start is not asserted: a Jest
  // worker that ran another file first may free its leftovers meanwhile and move the start.)
  expect(measured.transientMb).toBeGreaterThan(30);
});

test('a run too short to sample is refused, not measured as 0 MB', async () => {
  await expect(heapGrowthDuring(() => Promise.resolve('done'))).rejects.toThrow('measure a larger run');
});
