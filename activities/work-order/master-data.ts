import type { FinanceClient, FinanceQuery } from '../../connectors/finance/finance-client';
import { mapRecord, type SourceRecord } from '../../mappings/engine';
import type { ProjectTask } from '../../mappings/project/merge';
import { businessFailure } from '../business-failure';
import { financeEntityOf, financeValues } from '../finance-entities';
import { keyFilters } from '../key-filters';
import type { PlannedWrite } from '../planned-write';

/**
 * A master-data check in two halves: the queries it needs (sent by the caller, e.g. in one `$batch`
 * with other reads) and what it does with their answers (create what is missing, or refuse).
 */
export interface MasterDataCheck {
  queries: FinanceQuery[];
  /** Given the records the queries found, in order; returns what it created, described. */
  settle(found: Found): Promise<string[]>;
  /** What `settle` would write given the same answers, written nowhere (a refusal throws as `settle` does). */
  writes(found: Found): PlannedWrite[];
}

function keyFieldOf(task: ProjectTask): string {
  const keyField = task.key.find((field) => field !== 'dataAreaId');
  if (keyField === undefined || task.key.length !== 2) {
    throw new Error(`task ${task.name} must have one key field besides dataAreaId`);
  }
  return keyField;
}

type Found = readonly (readonly Record<string, unknown>[])[];

/** The queries that find which of `keys` F&O has, and, given their answers, the keys it lacks. */
function keyLookup(entity: FinanceQuery['entity'], keyField: string, keys: readonly string[]) {
  return {
    queries: keyFilters(keyField, keys).map((filter) => ({
      entity,
      options: { select: [keyField], filter },
    })),
    missing(found: Found): string[] {
      const existing = new Set(found.flat().map((record) => String(record[keyField])));
      return keys.filter((key) => !existing.has(key));
    },
  };
}

/**
 * Makes sure F&O has a record for each source record (customers for accounts, released products for
 * products): one query by natural key for all of them, then one change set creating the missing ones.
 * Existing records are left as they are; keeping them current is the master-data sync's job.
 */
export function ensureCheck(
  finance: FinanceClient,
  task: ProjectTask,
  sources: readonly SourceRecord[],
  describe: (key: string) => string,
): MasterDataCheck {
  const keyField = keyFieldOf(task);
  const entity = financeEntityOf(task.destination);
  const payloads = new Map<string, Record<string, unknown>>();
  for (const source of sources) {
    const payload = mapRecord(task, source.record, source.related);
    payloads.set(String(payload.key[keyField]), financeValues(payload.values));
  }
  const lookup = keyLookup(entity, keyField, [...payloads.keys()]);
  const writes = (found: Found): PlannedWrite[] =>
    lookup.missing(found).map((key) => ({
      operation: finance.createOperation(entity, payloads.get(key)!),
      entitySet: entity.entitySet,
      key: { [keyField]: key },
    }));
  return {
    queries: lookup.queries,
    writes,
    async settle(found) {
      const creates = writes(found);
      if (creates.length > 0) await finance.batch([creates.map((write) => write.operation)]);
      return creates.map((write) => describe(String(write.key[keyField])));
    },
  };
}

/** Queries one after the other, each a plain GET (no `$batch`, which goes on the wire as a POST). */
export async function queryEach(
  finance: FinanceClient,
  queries: readonly FinanceQuery[],
): Promise<Record<string, unknown>[][]> {
  const found: Record<string, unknown>[][] = [];
  for (const { entity, options } of queries) {
    const rows: Record<string, unknown>[] = [];
    for await (const record of finance.query(entity, options)) rows.push(record);
    found.push(rows);
  }
  return found;
}

/** Runs a check on its own: its queries one after the other, then its settlement. */
export async function runCheck(finance: FinanceClient, check: MasterDataCheck): Promise<string[]> {
  return check.settle(await queryEach(finance, check.queries));
}

/** `ensureCheck`, run on its own. */
export function ensureInFinance(
  finance: FinanceClient,
  task: ProjectTask,
  sources: readonly SourceRecord[],
  describe: (key: string) => string,
): Promise<string[]> {
  return runCheck(finance, ensureCheck(finance, task, sources, describe));
}

/** Products mastered in F&O must already be released there; nothing is created. */
export function requireCheck(
  finance: FinanceClient,
  entitySet: string,
  keyField: string,
  keys: readonly string[],
): MasterDataCheck {
  const lookup = keyLookup(financeEntityOf(entitySet), keyField, keys);
  const writes = (found: Found): PlannedWrite[] => {
    const missing = lookup.missing(found);
    if (missing.length > 0) {
      throw businessFailure(
        `Product${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not released in F&O company ${finance.company}: ` +
          `release ${missing.length > 1 ? 'them' : 'it'} in F&O (this mapping project masters products there), then retry`,
        'ProductNotReleased',
      );
    }
    return [];
  };
  return {
    queries: lookup.queries,
    writes,
    settle: async (found) => {
      writes(found);
      return [];
    },
  };
}
