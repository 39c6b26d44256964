import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { createDoctorActivities } from '../activities/doctor';
import { LegalEntity } from './search-attributes';

const { describeWorker } = proxyActivities<ReturnType<typeof createDoctorActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

/**
 * Installation check run by `fsfo doctor`: proves that a worker polls the task queue, executes
 * activities, and that the namespace has the project's search attributes.
 */
export async function doctor() {
  const worker = await describeWorker();
  upsertSearchAttributes([{ key: LegalEntity, value: worker.legalEntity }]);
  return worker;
}
