import { getClient } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { and, enumMember, eq, gt, type Filter, or } from '../../connectors';
import {
  adjustmentJournalHeaders,
  InventJournalOriginType,
  NoYes,
  transferJournalHeaders,
} from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { inventoryDocumentWorkflowId } from '../../client/starters/inventory';
import { inventoryJournalPostedSignal } from '../../workflows/inventory/messages';
import { noCounts, type SyncCounts } from '../master-data/contract';
import type { MasterDataSync } from '../master-data/master-data-sync';
import { KEYS_PER_QUERY } from '../key-filters';
import type { InventoryDocumentKind } from './contract';

/**
 * Tells the workflow of each posted integration journal (found by its description, the document's name)
 * that F&O posted it (`updated`); a journal without a running workflow is done with (`unchanged`). Journal
 * headers have no change time on OData, so each run reads a full pass of the posted ones by number.
 */
export function journalPostingSignals(finance: FinanceClient, kind: InventoryDocumentKind): MasterDataSync {
  const entity = kind === 'adjustment' ? adjustmentJournalHeaders : transferJournalHeaders;
  const postedIntegrationJournals = and(
    eq('IsPosted', enumMember(NoYes, 'Yes')),
    eq('JournalOriginType', enumMember(InventJournalOriginType, 'ExternalIntegration')),
  );
  const signal = async (filter: Filter, top?: number) => {
    const counts = noCounts();
    let last = '';
    let read = 0;
    for await (const journal of finance.query(entity, { filter, orderBy: ['JournalNumber'], top })) {
      read++;
      last = journal.JournalNumber;
      try {
        const handle = getClient().workflow.getHandle(
          inventoryDocumentWorkflowId(kind, String(journal.Description)),
        );
        await handle.signal(inventoryJournalPostedSignal);
        counts.updated++;
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        counts.unchanged++;
      }
    }
    return { counts, last, read };
  };
  return {
    summary: `Signals the workflows of inventory ${kind}s whose F&O journal is posted`,
    async changes(after, limit) {
      const filter =
        after.key === ''
          ? postedIntegrationJournals
          : and(postedIntegrationJournals, gt('JournalNumber', after.key));
      const { counts, last, read } = await signal(filter, limit);
      const more = read >= limit;
      // A finished pass starts over next run.
      return { ...counts, watermark: { changedOn: null, key: more ? last : '' }, more };
    },
    async records(keys) {
      const counts: SyncCounts = noCounts();
      for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
        const [first, ...rest] = keys
          .slice(start, start + KEYS_PER_QUERY)
          .map((key) => eq('JournalNumber', key));
        const { counts: some } = await signal(and(postedIntegrationJournals, or(first!, ...rest)));
        counts.updated += some.updated;
        counts.unchanged += some.unchanged;
      }
      return counts;
    },
  };
}
