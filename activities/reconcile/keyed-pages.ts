import { and, type DataverseClient, type Filter, ge, gt } from '../../connectors';
import type { DataverseTable } from '../../connectors/entities/dataverse';

/** Keys per request when only counting. */
const COUNT_PAGE_SIZE = 5_000;

/**
 * Rows of a Dataverse table or F&O entity in the order of a key column (a document number): `read` asks
 * for at most `top` rows whose key is after `after` (`''` for the first page), ordered by it.
 */
export interface KeyedReader<T> {
  read(after: string, top: number): AsyncIterable<T>;
  keyOf(row: T): string;
}

/** One page of rows in key order, and the key the next page (or a resumed join) reads after. */
interface KeyedPage<T> {
  rows: T[];
  after: string;
}

/** Every filter given, joined with `and`; undefined when none is. */
export function allOf(...filters: (Filter | undefined)[]): Filter | undefined {
  const [first, ...rest] = filters.filter((filter): filter is Filter => filter !== undefined);
  return first && and(first, ...rest);
}

/** Keys after `after` in `column`; no condition for the first page. */
export const keyAfter = (column: string, after: string): Filter | undefined =>
  after === '' ? undefined : gt(column, after);

/** Field Service rows changed since the scope's date, if it has one. */
export const changedSince = (since: Date | undefined): Filter | undefined =>
  since ? ge('modifiedon', since) : undefined;

/**
 * The rows page by page, `size` at a time, each page read after the last key of the one before, until a
 * page is not full. With `keepKeysTogether`, a full page leaves the rows of its last key to the next page
 * (that key may go on there), so rows sharing a key (two documents of one number) are judged together.
 */
export async function* keyedPages<T>(
  reader: KeyedReader<T>,
  size: number,
  options: { from?: string; keepKeysTogether?: boolean } = {},
): AsyncGenerator<KeyedPage<T>> {
  const keyOf = (row: T) => reader.keyOf(row).toLowerCase();
  for (let after = options.from ?? '', full = true; full;) {
    const rows: T[] = [];
    for await (const row of reader.read(after, size)) rows.push(row);
    if (rows.length === 0) return;
    full = rows.length === size;
    const last = keyOf(rows.at(-1)!);
    const settled = full && options.keepKeysTogether ? rows.filter((row) => keyOf(row) !== last) : rows;
    const page = settled.length > 0 ? settled : rows;
    after = reader.keyOf(page.at(-1)!);
    yield { rows: page, after };
  }
}

/** How many rows `reader` reads (it should select the key only), 5,000 per request. */
export async function countKeyed<T>(reader: KeyedReader<T>): Promise<number> {
  let total = 0;
  for await (const page of keyedPages(reader, COUNT_PAGE_SIZE)) total += page.rows.length;
  return total;
}

/** How many rows of a Dataverse table `filter` selects (given the number to read after): their numbers only. */
export function countDataverse(
  dataverse: DataverseClient,
  table: DataverseTable,
  column: string,
  filter: (after: string) => Filter | undefined,
): Promise<number> {
  return countKeyed<Record<string, unknown>>({
    read: (after, top) =>
      dataverse.query(table, { select: [column], filter: filter(after), orderBy: [column], top }),
    keyOf: (row) => String(row[column]),
  });
}
