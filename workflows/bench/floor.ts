import { condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { FloorActivities } from '../../activities/bench/floor';
import { IntegrationStage } from '../search-attributes';
import { invoicePostedSignal } from '../work-order/messages';

export interface FloorInput {
  /** Activity names run before the wait for `invoicePosted`, in order (the product's, as its history shows). */
  beforeWait: string[];
  /** Activity names run after the signal. */
  afterWait: string[];
}

// The product's activity options, so retries and timeouts cost the same.
const activities = proxyActivities<FloorActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The benchmark's floor: the same number of sequential activities as a work order, the same wait for
 * `invoicePosted` (announced through the `IntegrationStage` search attribute, as the product does), and
 * activities that do no I/O. What the product costs beyond this is what its I/O and logic cost.
 * Registered only by the benchmark's worker (`scripts/bench/floor-worker.ts`).
 */
export async function floorInvoicing(input: FloorInput): Promise<number> {
  let posted = false;
  setHandler(invoicePostedSignal, () => {
    posted = true;
  });
  let step = 0;
  for (const name of input.beforeWait) step = await activities[name]!(step);
  upsertSearchAttributes([{ key: IntegrationStage, value: 'AwaitingInvoice' }]);
  await condition(() => posted);
  for (const name of input.afterWait) step = await activities[name]!(step);
  upsertSearchAttributes([{ key: IntegrationStage, value: 'Invoiced' }]);
  return step;
}
