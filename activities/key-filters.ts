import { eq, or, type Filter } from '../connectors';

/** Key values per `$filter`: keeps the URL short. */
export const KEYS_PER_QUERY = 50;

/** `column eq k1 or column eq k2 …`, one filter per 50 keys: read them with one query each. */
export function keyFilters(column: string, keys: readonly string[]): Filter[] {
  const filters: Filter[] = [];
  for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
    const [first, ...rest] = keys.slice(start, start + KEYS_PER_QUERY).map((key) => eq(column, key));
    if (first !== undefined) filters.push(or(first, ...rest));
  }
  return filters;
}
