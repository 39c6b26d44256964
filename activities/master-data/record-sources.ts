import { and, eq, gt, lt, or, type Filter } from '../../connectors';
import { columnsOf, type DataverseClient } from '../../connectors/dataverse/dataverse-client';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { requiredLookups, sourceFields, type SourceRecord, type SourceValues } from '../../mappings/engine';
import type { ProjectTask } from '../../mappings/project/merge';
import { dataverseTableOf, unique } from '../dataverse-tables';
import { financeEntityOf } from '../finance-entities';
import { keyFilters } from '../key-filters';
import type { RelatedRecordReader } from '../related-records';
import { SETTLE_MS } from '../settle';
import { sourceFilterOf } from '../source-filter';
import type { SyncWatermark } from './contract';

export interface KeyedRecord extends SourceRecord {
  key: string;
}

export interface SourcePage {
  records: KeyedRecord[];
  watermark: SyncWatermark;
  more: boolean;
}

/** Where a record sync reads: one page of changes at a time, or records by key. */
export interface RecordSource {
  page(after: SyncWatermark, limit: number): Promise<SourcePage>;
  byKeys(keys: readonly string[]): Promise<KeyedRecord[]>;
}

/**
 * The source column that fills the destination's key, e.g. `productnumber` for `ItemNumber`: the one key
 * field besides `dataAreaId`, copied by a field map from one source column; undefined when there is none.
 */
export function sourceKeyColumn(task: ProjectTask): string | undefined {
  const keys = task.key.filter((field) => field !== 'dataAreaId');
  return keys.length === 1 ? task.fieldMaps.find((map) => map.target === keys[0])?.source : undefined;
}

export function sourceKeyOf(task: ProjectTask): string {
  const column = sourceKeyColumn(task);
  if (column === undefined) {
    throw new Error(
      `task ${task.name}: a master-data sync needs one destination key field copied from one source column`,
    );
  }
  return column;
}

const withTaskFilter = (task: ProjectTask, filter: Filter | undefined): Filter | undefined => {
  const fromTask = sourceFilterOf(task);
  if (fromTask === undefined) return filter;
  return filter === undefined ? fromTask : and(fromTask, filter);
};

/**
 * Dataverse rows, read by `modifiedon` and key, with the related rows the task's field maps read; the
 * last seconds are left to the next run (see `SETTLE_MS`).
 */
export function dataverseSource(
  dataverse: DataverseClient,
  related: RelatedRecordReader,
  task: ProjectTask,
): RecordSource {
  const table = dataverseTableOf(task.source);
  const keyColumn = sourceKeyOf(task);
  const select = unique([...columnsOf(table.schema), ...sourceFields(task), 'modifiedon', keyColumn]);
  const lookups = requiredLookups(task);
  const withRelated = async (rows: SourceValues[]): Promise<KeyedRecord[]> => {
    const relatedRows = await related.resolve(rows, lookups);
    return rows.map((record, index) => ({
      key: String(record[keyColumn]),
      record,
      related: relatedRows[index],
    }));
  };
  return {
    async page(after, limit) {
      const at = new Date(after.changedOn ?? 0);
      const afterWatermark = and(
        or(gt('modifiedon', at), and(eq('modifiedon', at), gt(keyColumn, after.key))),
        lt('modifiedon', new Date(Date.now() - SETTLE_MS)),
      );
      const rows: SourceValues[] = [];
      let more = false;
      for await (const row of dataverse.query(table, {
        select,
        filter: withTaskFilter(task, afterWatermark),
        orderBy: ['modifiedon', keyColumn],
        pageSize: limit,
      })) {
        rows.push(row);
        if (rows.length >= limit) {
          more = true;
          break;
        }
      }
      const last = rows.at(-1);
      const watermark = last ? { changedOn: String(last.modifiedon), key: String(last[keyColumn]) } : after;
      return { records: await withRelated(rows), watermark, more };
    },
    async byKeys(keys) {
      const rows: SourceValues[] = [];
      for (const filter of keyFilters(keyColumn, keys)) {
        for await (const row of dataverse.query(table, { select, filter: withTaskFilter(task, filter) })) {
          rows.push(row);
        }
      }
      return withRelated(rows);
    },
  };
}

/**
 * F&O records in the company. F&O's OData entities carry no change time, so each run reads a full
 * pass ordered by key, one page in memory at a time; the writer skips what has not changed.
 */
export function financeSource(finance: FinanceClient, task: ProjectTask): RecordSource {
  const entity = financeEntityOf(task.source);
  const keyColumn = sourceKeyOf(task);
  const keyed = (record: SourceValues): KeyedRecord => ({ key: String(record[keyColumn]), record });
  return {
    async page(after, limit) {
      const records: KeyedRecord[] = [];
      const filter = withTaskFilter(task, after.key === '' ? undefined : gt(keyColumn, after.key));
      for await (const record of finance.query(entity, { filter, orderBy: [keyColumn], top: limit })) {
        records.push(keyed(record));
      }
      const more = records.length >= limit;
      // A finished pass starts over next run.
      const key = more ? records.at(-1)!.key : '';
      return { records, watermark: { changedOn: null, key }, more };
    },
    async byKeys(keys) {
      const records: KeyedRecord[] = [];
      for (const filter of keyFilters(keyColumn, keys)) {
        for await (const record of finance.query(entity, { filter: withTaskFilter(task, filter) })) {
          records.push(keyed(record));
        }
      }
      return records;
    },
  };
}
