import { eq, or } from '../../connectors';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { mapRecord, type SourceRecord } from '../../mappings/engine';
import type { ProjectTask } from '../../mappings/project/merge';
import { businessFailure } from '../business-failure';
import { financeEntityOf, financeValues } from '../finance-entities';
import { keyFilters } from '../key-filters';

/**
 * Makes sure F&O has a record for each source record (customers for accounts, released products for
 * products): one query by natural key for all of them, then one change set creating the missing ones.
 * Existing records are left as they are; keeping them current is the master-data sync's job.
 */
export async function ensureInFinance(
  finance: FinanceClient,
  task: ProjectTask,
  sources: readonly SourceRecord[],
  describe: (key: string) => string,
): Promise<string[]> {
  const keyField = task.key.find((field) => field !== 'dataAreaId');
  if (keyField === undefined || task.key.length !== 2) {
    throw new Error(`task ${task.name} must have one key field besides dataAreaId`);
  }
  const entity = financeEntityOf(task.destination);
  const payloads = new Map<string, Record<string, unknown>>();
  for (const source of sources) {
    const payload = mapRecord(task, source.record, source.related);
    payloads.set(String(payload.key[keyField]), financeValues(payload.values));
  }
  const keys = [...payloads.keys()];
  const existing = new Set<string>();
  for (const filter of keyFilters(keyField, keys)) {
    for await (const record of finance.query(entity, { select: [keyField], filter })) {
      existing.add(String(record[keyField]));
    }
  }
  const missing = keys.filter((key) => !existing.has(key));
  if (missing.length > 0) {
    await finance.batch([missing.map((key) => finance.createOperation(entity, payloads.get(key)!))]);
  }
  return missing.map(describe);
}

/** Products mastered in F&O must already be released there; nothing is created. */
export async function requireInFinance(
  finance: FinanceClient,
  entitySet: string,
  keyField: string,
  keys: readonly string[],
): Promise<void> {
  const entity = financeEntityOf(entitySet);
  const found = new Set<string>();
  const [first, ...rest] = keys.map((key) => eq(keyField, key));
  if (first === undefined) return;
  for await (const record of finance.query(entity, { select: [keyField], filter: or(first, ...rest) })) {
    found.add(String(record[keyField]));
  }
  const missing = keys.filter((key) => !found.has(key));
  if (missing.length > 0) {
    throw businessFailure(
      `Product${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not released in F&O company ${finance.company}: ` +
        `release ${missing.length > 1 ? 'them' : 'it'} in F&O (this mapping project masters products there), then retry`,
      'ProductNotReleased',
    );
  }
}
