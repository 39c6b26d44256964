import type { Filter } from './filter';
import { propertyName } from './literals';

export type OrderBy = string | { property: string; descending?: boolean };

export interface Expand {
  navigation: string;
  select?: readonly string[];
  filter?: Filter;
  orderBy?: readonly OrderBy[];
  top?: number;
  /** A nested `$expand` (Dataverse; F&O expands one level only). */
  expand?: readonly Expand[];
}

/** The system query options both clients build. There is deliberately no `$skip`: Dataverse lacks it; pages come from next links. */
export interface QueryOptions {
  select?: readonly string[];
  filter?: Filter;
  expand?: readonly Expand[];
  orderBy?: readonly OrderBy[];
  top?: number;
}

/**
 * `?$select=...&$filter=...`: option names are written as is (`$`, not `%24`) and each value is
 * percent-encoded as UTF-8 with `encodeURIComponent` (spaces become `%20`, never `+`).
 */
export function queryString(options: QueryOptions, extra: Record<string, string> = {}): string {
  const pairs = [...Object.entries(optionValues(options)), ...Object.entries(extra)].map(
    ([name, value]) => `${name}=${encodeURIComponent(value)}`,
  );
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

function optionValues(options: QueryOptions): Record<string, string> {
  const values: Record<string, string> = {};
  if (options.select?.length) values.$select = options.select.map(propertyName).join(',');
  if (options.filter) values.$filter = options.filter.expression;
  if (options.expand?.length) values.$expand = options.expand.map(expandItem).join(',');
  if (options.orderBy?.length) values.$orderby = options.orderBy.map(orderByItem).join(',');
  if (options.top !== undefined) values.$top = String(positiveInteger(options.top));
  return values;
}

function expandItem(expand: Expand): string {
  const nested = Object.entries(optionValues(expand)).map(([name, value]) => `${name}=${value}`);
  return nested.length > 0
    ? `${propertyName(expand.navigation)}(${nested.join(';')})`
    : propertyName(expand.navigation);
}

function orderByItem(order: OrderBy): string {
  if (typeof order === 'string') return propertyName(order);
  return `${propertyName(order.property)}${order.descending ? ' desc' : ''}`;
}

function positiveInteger(value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new TypeError(`$top must be a positive integer, got ${value}`);
  return value;
}
