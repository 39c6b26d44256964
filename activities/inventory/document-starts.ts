import { getClient } from '@temporalio/activity';
import { startInventoryDocument } from '../../client/starters/inventory';
import type { Config } from '../../config/config';
import { noCounts, type SyncCounts } from '../master-data/contract';
import type { MasterDataSync } from '../master-data/master-data-sync';
import type { KeyedRecord, RecordSource } from '../master-data/record-sources';
import type { InventoryDocumentKind } from './contract';

/**
 * Field Service adjustments or transfers that became Posted (the task's filter) or changed since the
 * watermark: each one's workflow is started, or told of the change (`created`); a completed one is left
 * (`unchanged`). Runs in an activity, on the worker's Temporal client.
 */
export function inventoryDocumentStarts(
  config: Config,
  kind: InventoryDocumentKind,
  source: RecordSource,
): MasterDataSync {
  const start = async (records: readonly KeyedRecord[]): Promise<SyncCounts> => {
    const counts = noCounts();
    for (const { key } of records) {
      const outcome = await startInventoryDocument(getClient(), config, { kind, name: key });
      if (outcome === 'already-completed') counts.unchanged++;
      else counts.created++;
    }
    return counts;
  };
  return {
    summary: `Starts or signals the workflows of inventory ${kind}s Posted in Field Service`,
    async changes(after, limit) {
      const page = await source.page(after, limit);
      return { ...(await start(page.records)), watermark: page.watermark, more: page.more };
    },
    async records(keys) {
      return start(await source.byKeys(keys));
    },
  };
}
