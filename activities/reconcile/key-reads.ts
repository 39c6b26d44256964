import { type DataverseClient, eq, type Filter, guid, or } from '../../connectors';
import type { DataverseTable } from '../../connectors/entities/dataverse';
import { keyFilters, KEYS_PER_QUERY } from '../key-filters';

// The reads of a page's counterparts: every document of the page at once, by key filters of 50 keys
// each, never one request per document.

export async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}

/** Rows of every filter (one query each, all at once), in the filters' order. */
async function readAll<T>(
  filters: readonly Filter[],
  read: (filter: Filter) => AsyncIterable<T>,
): Promise<T[]> {
  return (await Promise.all(filters.map((filter) => collect(read(filter))))).flat();
}

/**
 * The rows whose `column` is one of `keys` (document numbers), grouped by `keyOf` in lower case: numbers
 * compare without case, as F&O and Dataverse compare them.
 */
export async function rowsByKey<T>(
  column: string,
  keys: readonly string[],
  read: (filter: Filter) => AsyncIterable<T>,
  keyOf: (row: T) => string,
): Promise<Map<string, T[]>> {
  return groupBy(await readAll(keyFilters(column, keys), read), (row) => keyOf(row).toLowerCase());
}

/** `column eq id1 or column eq id2 …` on a Dataverse lookup column, one filter per 50 row ids. */
function lookupFilters(column: string, ids: readonly string[]): Filter[] {
  const filters: Filter[] = [];
  for (let start = 0; start < ids.length; start += KEYS_PER_QUERY) {
    const [first, ...rest] = ids.slice(start, start + KEYS_PER_QUERY).map((id) => eq(column, guid(id)));
    if (first !== undefined) filters.push(or(first, ...rest));
  }
  return filters;
}

/** The Dataverse rows whose lookup `column` (e.g. `_invoiceid_value`) names one of `ids`, grouped by it. */
export async function rowsByParent<T extends Record<string, unknown>>(
  column: string,
  ids: readonly string[],
  read: (filter: Filter) => AsyncIterable<T>,
): Promise<Map<string, T[]>> {
  return groupBy(await readAll(lookupFilters(column, ids), read), (row) => String(row[column]));
}

/** Which of `numbers` a Dataverse table has in `column`, in lower case. */
export async function numbersIn(
  dataverse: DataverseClient,
  table: DataverseTable,
  column: string,
  numbers: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const filter of keyFilters(column, numbers)) {
    for await (const row of dataverse.query(table, { select: [column], filter })) {
      found.add(String((row as Record<string, unknown>)[column] ?? '').toLowerCase());
    }
  }
  return found;
}
