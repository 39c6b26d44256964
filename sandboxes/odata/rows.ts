import type { FilterSchema } from './filter-evaluator';
import type { OrderByItem } from './query-options';
import { ODataQueryError } from './query-error';

export interface SortKey<Row> {
  get(row: Row): unknown;
  descending: boolean;
}

/** Sorts like SQL Server: nulls first in ascending order, strings without regard to case. */
export function sortRows<Row>(rows: Row[], keys: SortKey<Row>[]): Row[] {
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const order = compare(key.get(a), key.get(b));
      if (order !== 0) return key.descending ? -order : order;
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

/** `$orderby` items as sort keys over the schema's properties; an unknown property is a query error. */
export function orderByKeys<Row>(
  orderBy: OrderByItem[] | undefined,
  schema: FilterSchema<Row>,
): SortKey<Row>[] {
  return (orderBy ?? []).map((item) => {
    const accessor = schema.property(item.path);
    if (!accessor) {
      throw new ODataQueryError(
        `Could not find a property named '${item.path.join('/')}' on type '${schema.typeName}'.`,
      );
    }
    return { get: (row) => accessor.get(row), descending: item.descending };
  });
}
