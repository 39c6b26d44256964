import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { ReconcileActivities, ReconcileInput } from '../../activities/reconcile/contract';
import type { ReconcileReport } from '../../activities/reconcile/drift';
import { reportDetails } from './details';

const activities = proxyActivities<ReconcileActivities>({
  // A page takes seconds; a report over many thousand documents may take an hour against real services.
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  summary: 'compare Field Service, F&O and the workflows, page by page',
});

/**
 * Run by the daily `reconcile` schedule (or by hand): compares Field Service, F&O and the integration's
 * workflows and reports every drift, writing nothing. Temporal Web shows the last report as the run's
 * current details (counts per drift class and the first drifts with their fixes); the result is the report.
 */
export async function reconcile(input: ReconcileInput = {}): Promise<ReconcileReport> {
  setCurrentDetails('**Reconciling**: comparing Field Service, F&O and the workflows');
  const report = await activities.reconcileDocuments(input);
  setCurrentDetails(reportDetails(report));
  return report;
}
