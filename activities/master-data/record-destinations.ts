import type { BatchOperation, ChangeSetOutcome, Filter } from '../../connectors';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import type { DestinationPayload, SourceValues } from '../../mappings/engine';
import type { ProjectTask } from '../../mappings/project/merge';
import { dataverseTableOf } from '../dataverse-tables';
import { financeEntityOf, financeValues } from '../finance-entities';
import { keyFilters } from '../key-filters';
import type { LookupBindings } from '../lookup-bindings';
import { noCounts, type SyncCounts } from './contract';

/** A mapped record on its way to the destination; `key` is the source key the sync reports it by. */
export interface MappedRecord {
  key: string;
  payload: DestinationPayload;
}

/** Writes mapped records where they differ from the destination; each record's outcome is counted. */
export interface RecordDestination {
  write(records: readonly MappedRecord[]): Promise<SyncCounts>;
}

/** Equal as the destination stores them: numbers within rounding, everything else as text. */
function same(stored: unknown, wanted: unknown): boolean {
  if (typeof stored === 'number' && typeof wanted === 'number') return Math.abs(stored - wanted) < 1e-9;
  if ((stored ?? '') === '' && (wanted ?? '') === '') return true;
  return String(stored) === String(wanted);
}

function changesOf(stored: SourceValues, wanted: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(wanted).filter(([field, value]) => !same(stored[field], value)));
}

interface PlannedWrite {
  key: string;
  kind: 'created' | 'updated';
  operation: BatchOperation;
}

/** Sends one change set per record, so a record the service refuses is listed and the rest are written. */
async function send(
  planned: readonly PlannedWrite[],
  counts: SyncCounts,
  batchSettled: (changeSets: BatchOperation[][]) => Promise<ChangeSetOutcome[]>,
): Promise<SyncCounts> {
  if (planned.length === 0) return counts;
  const outcomes = await batchSettled(planned.map((write) => [write.operation]));
  outcomes.forEach((outcome, index) => {
    const write = planned[index]!;
    if (outcome.ok) counts[write.kind]++;
    else
      counts.failed.push({ key: write.key, reason: outcome.error.serviceMessage || outcome.error.message });
  });
  return counts;
}

async function existingByKey(
  keys: readonly string[],
  query: (filter: Filter) => AsyncIterable<SourceValues>,
  keyField: string,
): Promise<Map<string, SourceValues>> {
  const existing = new Map<string, SourceValues>();
  for (const filter of keyFilters(keyField, keys)) {
    for await (const row of query(filter)) existing.set(String(row[keyField]), row);
  }
  return existing;
}

/** F&O records in the company, found by the task's key field; created or patched in one `$batch`. */
export function financeDestination(finance: FinanceClient, task: ProjectTask): RecordDestination {
  const entity = financeEntityOf(task.destination);
  const keyField = task.key.find((field) => field !== 'dataAreaId')!;
  return {
    async write(records) {
      const counts = noCounts();
      const keyOf = (record: MappedRecord) => String(record.payload.key[keyField]);
      const existing = await existingByKey(
        records.map(keyOf),
        (filter) => finance.query(entity, { filter }),
        keyField,
      );
      const planned: PlannedWrite[] = [];
      for (const record of records) {
        const values = financeValues(record.payload.values);
        const stored = existing.get(keyOf(record));
        if (stored === undefined) {
          planned.push({
            key: record.key,
            kind: 'created',
            operation: finance.createOperation(entity, values),
          });
          continue;
        }
        const { [keyField]: _key, ...fields } = values;
        const changes = changesOf(stored, fields);
        if (Object.keys(changes).length === 0) counts.unchanged++;
        else {
          const operation = finance.updateOperation(entity, { [keyField]: keyOf(record) }, changes);
          planned.push({ key: record.key, kind: 'updated', operation });
        }
      }
      return send(planned, counts, (changeSets) => finance.batchSettled(changeSets));
    },
  };
}

/**
 * Dataverse rows found by the task's key column; lookups bound by natural key. A row is patched
 * only where it differs, with the ETag it was read with.
 */
export function dataverseDestination(
  dataverse: DataverseClient,
  bindings: LookupBindings,
  task: ProjectTask,
): RecordDestination {
  const table = dataverseTableOf(task.destination);
  const [keyField] = task.key;
  if (keyField === undefined || task.key.length !== 1) {
    throw new Error(`task ${task.name}: a Dataverse master-data sync needs exactly one key column`);
  }
  return {
    async write(records) {
      const counts = noCounts();
      const keyOf = (record: MappedRecord) => String(record.payload.key[keyField]);
      const existing = await existingByKey(
        records.map(keyOf),
        (filter) => dataverse.query(table, { filter }),
        keyField,
      );
      const planned: PlannedWrite[] = [];
      for (const record of records) {
        const { bound, rows, missing } = await bindings.bodyOf(record.payload);
        if (missing.length > 0) {
          counts.failed.push({ key: record.key, reason: missing.join('; ') });
          continue;
        }
        const stored = existing.get(keyOf(record));
        if (stored === undefined) {
          const body = { ...record.payload.values, ...bound };
          planned.push({
            key: record.key,
            kind: 'created',
            operation: dataverse.createOperation(table, body),
          });
          continue;
        }
        const changes = changesOf(stored, record.payload.values);
        for (const [target, { id, navigation }] of Object.entries(rows)) {
          if (!same(stored[`_${target}_value`], id)) changes[navigation] = bound[navigation];
        }
        if (Object.keys(changes).length === 0) counts.unchanged++;
        else {
          const id = String(stored[table.primaryKey]);
          const operation = dataverse.updateOperation(table, id, changes, String(stored['@odata.etag']));
          planned.push({ key: record.key, kind: 'updated', operation });
        }
      }
      return send(planned, counts, (changeSets) => dataverse.batchSettled(changeSets));
    },
  };
}
