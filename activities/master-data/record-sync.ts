import { mapRecord, RecordMappingError } from '../../mappings/engine';
import type { ProjectTask } from '../../mappings/project/merge';
import type { SyncCounts } from './contract';
import type { MasterDataSync } from './master-data-sync';
import type { RecordMark } from './record-marks';
import type { MappedRecord, RecordDestination } from './record-destinations';
import type { KeyedRecord, RecordSource } from './record-sources';

/**
 * A mapping task run as a sync: source records mapped by the task and written where they differ. A
 * record the mapping or the destination refuses is counted as failed with its reason; the rest go on.
 * `mark`, if given, then writes back to the source records the destination has (created, updated or
 * unchanged); a record it fails to mark is counted as failed too, so the next run retries it.
 */
export function recordSync(
  task: ProjectTask,
  source: RecordSource,
  destination: RecordDestination,
  summary: string,
  mark?: RecordMark,
): MasterDataSync {
  const write = async (records: readonly KeyedRecord[]): Promise<SyncCounts> => {
    const mapped: MappedRecord[] = [];
    const refused: SyncCounts['failed'] = [];
    for (const { key, record, related } of records) {
      try {
        mapped.push({ key, payload: mapRecord(task, record, related) });
      } catch (err) {
        if (!(err instanceof RecordMappingError)) throw err;
        refused.push({ key, reason: err.message });
      }
    }
    const counts = await destination.write(mapped);
    const failed = [...refused, ...counts.failed];
    if (mark) {
      const failedKeys = new Set(failed.map((failure) => failure.key));
      failed.push(...(await mark(records.filter((record) => !failedKeys.has(record.key)))));
    }
    return { ...counts, failed };
  };
  return {
    summary,
    async changes(after, limit) {
      const page = await source.page(after, limit);
      return { ...(await write(page.records)), watermark: page.watermark, more: page.more };
    },
    async records(keys) {
      const found = await source.byKeys(keys);
      const counts = await write(found);
      const gone = keys.filter((key) => !found.some((record) => record.key === key));
      // A record no longer in the source (deleted, or no longer selected by the filter) is done with.
      return { ...counts, unchanged: counts.unchanged + gone.length };
    },
  };
}
