import type { OrderByItem } from './query-options';

/** Sorts like SQL Server: nulls first in ascending order, strings without regard to case. */
export function sortRows<Row>(
  rows: Row[],
  orderBy: OrderByItem[],
  get: (row: Row, path: string[]) => unknown,
): Row[] {
  return [...rows].sort((a, b) => {
    for (const item of orderBy) {
      const order = compare(get(a, item.path), get(b, item.path));
      if (order !== 0) return item.descending ? -order : order;
    }
    return 0;
  });
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'string' && typeof b === 'string') {
    return a.localeCompare(b, 'en', { sensitivity: 'base' });
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}
