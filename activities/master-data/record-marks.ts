import { D365Error } from '../../connectors';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { products } from '../../connectors/entities/dataverse';
import type { SyncFailure } from './contract';
import type { KeyedRecord } from './record-sources';

/** What a sync writes back to its source records once the destination has them; the ones it could not. */
export type RecordMark = (records: readonly KeyedRecord[]) => Promise<SyncFailure[]>;

/**
 * Field Service products F&O now has become "externally maintained" (`msdynce_isexternallymaintained`),
 * as Microsoft's products template marks the ones it brings from F&O: the work order template's header
 * filter takes only work orders whose products all are. The integration solution then recomputes the
 * work orders using the product, whose change the work order watcher reports. Products already marked
 * are not written. One change set per page: a refusal (e.g. a product deleted since it was read) lists
 * the page's products as failed, and the sync's retry marks them by key; throttling fails the page.
 */
export function markMaintainedInFinance(dataverse: DataverseClient): RecordMark {
  return async (records) => {
    const unmarked = records.filter(({ record }) => record.msdynce_isexternallymaintained !== true);
    if (unmarked.length === 0) return [];
    const operations = unmarked.map(({ record }) =>
      dataverse.updateOperation(
        products,
        String(record[products.primaryKey]),
        { msdynce_isexternallymaintained: true },
        '*',
      ),
    );
    try {
      await dataverse.batch([operations]);
      return [];
    } catch (error) {
      if (!(error instanceof D365Error) || error.retryable) throw error;
      const reason = `F&O has it, but marking it maintained in F&O failed: ${error.serviceMessage || error.message}`;
      return unmarked.map(({ key }) => ({ key, reason }));
    }
  };
}
