import { getClient } from '@temporalio/activity';
import { startAgreementInvoice } from '../../client/starters/agreement-invoice';
import type { Config } from '../../config/config';
import { noCounts, type SyncCounts } from './contract';
import type { MasterDataSync } from './master-data-sync';
import type { KeyedRecord, RecordSource } from './record-sources';

/**
 * Field Service invoices the agreement invoice task selects, changed since the watermark: each one's
 * workflow is started, or told of the change (`created`); a completed one is left (`unchanged`).
 * Runs in an activity, on the worker's Temporal client.
 */
export function agreementInvoiceStarts(config: Config, source: RecordSource): MasterDataSync {
  const start = async (records: readonly KeyedRecord[]): Promise<SyncCounts> => {
    const counts = noCounts();
    for (const { key } of records) {
      const outcome = await startAgreementInvoice(getClient(), config, key);
      if (outcome === 'already-completed') counts.unchanged++;
      else counts.created++;
    }
    return counts;
  };
  return {
    summary: 'Starts or signals the workflows of agreement invoices changed in Field Service',
    async changes(after, limit) {
      const page = await source.page(after, limit);
      return { ...(await start(page.records)), watermark: page.watermark, more: page.more };
    },
    async records(keys) {
      return start(await source.byKeys(keys));
    },
  };
}
