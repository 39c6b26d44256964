import type { Client } from '@temporalio/client';
import { workOrderWatermarkAt } from '../activities/watchers/contract';
import { workOrderChanges } from '../activities/watchers/work-order-changes';
import type { Config } from '../config/config';
import { createConnectors } from '../connectors';
import { loadMappingProject } from '../mappings/project/loader';
import { startWorkOrder } from './starters/work-order';
import { connectorCatalog } from '../connectors/entities/catalog';

export interface BackfillProgress {
  /** Work orders the mapping project selects that changed since the date. */
  total: number;
  started: number;
  alreadyCompleted: number;
  failed: number;
}

/**
 * Starts (or signals) the workflow of every work order the mapping project selects that changed in
 * Field Service since `since`. The numbers are read first, so `onProgress` can say how far it is.
 */
export async function backfillWorkOrders(
  client: Client,
  config: Config,
  since: Date,
  onProgress: (progress: BackfillProgress, failure?: { workOrderNumber: string; message: string }) => void,
): Promise<BackfillProgress> {
  const { dataverse } = createConnectors(config);
  const project = loadMappingProject(config.mappingProject, connectorCatalog());
  const numbers: string[] = [];
  for await (const change of workOrderChanges(dataverse, project, workOrderWatermarkAt(since))) {
    // A backfill starts workflows; a cancelled work order must never start one.
    if (!change.canceled) numbers.push(change.workOrderNumber);
  }
  const progress: BackfillProgress = { total: numbers.length, started: 0, alreadyCompleted: 0, failed: 0 };
  onProgress(progress);
  for (const workOrderNumber of numbers) {
    try {
      const outcome = await startWorkOrder(client, config, workOrderNumber);
      if (outcome === 'already-completed') progress.alreadyCompleted++;
      else progress.started++;
      onProgress(progress);
    } catch (err) {
      progress.failed++;
      onProgress(progress, { workOrderNumber, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return progress;
}
