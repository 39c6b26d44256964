import { and, eq, gt, lt, or, type Filter } from '../../connectors';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { purchaseOrders } from '../../connectors/entities/dataverse';
import type { ProjectTask } from '../../mappings/project/merge';
import type { SyncWatermark } from '../master-data/contract';
import { sourceFilterOf } from '../source-filter';
import { SETTLE_MS } from '../settle';

/**
 * Field Service purchase orders the header task's filter selects (submitted), changed after the watermark,
 * by `modifiedon` then number. Both services stamp changes to the second, so orders of the last seconds
 * are left to the next run: one changed again in the second the watermark was taken is never skipped.
 */
export function submittedPurchaseOrders(dataverse: DataverseClient, task: ProjectTask) {
  const taskFilter = sourceFilterOf(task);
  const numbers = async (filter: Filter, limit?: number) => {
    const rows: { number: string; modifiedOn: string }[] = [];
    for await (const row of dataverse.query(purchaseOrders, {
      filter: taskFilter ? and(taskFilter, filter) : filter,
      select: ['msdyn_name', 'modifiedon'],
      orderBy: ['modifiedon', 'msdyn_name'],
      pageSize: limit,
    })) {
      rows.push({ number: String(row.msdyn_name), modifiedOn: String(row.modifiedon) });
      if (limit !== undefined && rows.length >= limit) break;
    }
    return rows;
  };
  return {
    async page(after: SyncWatermark, limit: number) {
      const at = new Date(after.changedOn ?? 0);
      const rows = await numbers(
        and(
          or(gt('modifiedon', at), and(eq('modifiedon', at), gt('msdyn_name', after.key))),
          lt('modifiedon', new Date(Date.now() - SETTLE_MS)),
        ),
        limit,
      );
      const last = rows.at(-1);
      return {
        numbers: rows.map((row) => row.number),
        watermark: last ? { changedOn: last.modifiedOn, key: last.number } : after,
        more: rows.length >= limit,
      };
    },
    async byNumbers(keys: readonly string[]) {
      if (keys.length === 0) return [];
      const [first, ...rest] = keys.map((key) => eq('msdyn_name', key));
      return (await numbers(or(first!, ...rest))).map((row) => row.number);
    },
  };
}
