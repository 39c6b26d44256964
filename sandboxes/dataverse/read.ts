import { jsonResponse } from '../http/json';
import { header, type SandboxRequest, type SandboxResponse } from '../http/types';
import { compileFilter } from '../odata/filter-evaluator';
import type { Preferences } from '../odata/prefer';
import { nextLink } from '../odata/next-link';
import type { ExpandItem, QueryOptions } from '../odata/query-options';
import { ODataQueryError } from '../odata/query-error';
import { orderByKeys, sortRows, type SortKey } from '../odata/rows';
import { etagOf, type DataverseData } from './dataverse-data';
import { pageNumberOf, pagingCookie } from './paging-cookie';
import { filterSchema, typeName, unknownSelections } from './query-schema';
import { formatRow } from './record-format';
import type { Row, TableDefinition } from './schema';
import { tablesByEntitySet } from './tables';

export interface ReadContext {
  data: DataverseData;
  serviceRoot: string;
  preferences: Preferences;
}

const defaultPageSize = 5000;

/** `GET <set>` (or a parent's collection): filter, sort, count, page with `odata.maxpagesize` and an `@odata.nextLink`. */
export function queryCollection(
  context: ReadContext,
  table: TableDefinition,
  request: SandboxRequest,
  options: QueryOptions,
  candidates: Row[] = context.data.rows(table.entitySet),
): SandboxResponse {
  if (options.skip !== undefined) throw new ODataQueryError("The query parameter '$skip' is not supported.");
  const rows = selectRows(context, table, candidates, options);
  const maxPageSize = context.preferences.maxPageSize;
  const limited = maxPageSize === undefined && options.top !== undefined ? rows.slice(0, options.top) : rows;
  const pageSize = Math.min(maxPageSize ?? defaultPageSize, defaultPageSize);
  const page = pageNumberOf(options.skipToken);
  const pageRows = limited.slice((page - 1) * pageSize, page * pageSize);
  const body: Record<string, unknown> = { '@odata.context': contextUrl(context, table, options.select) };
  if (options.count) body['@odata.count'] = Math.min(rows.length, 5000);
  body.value = pageRows.map((row) => formatWithExpand(context, table, row, options));
  if (limited.length > page * pageSize) {
    const first = pageRows[0][table.primaryKey] as string;
    const last = pageRows[pageRows.length - 1][table.primaryKey] as string;
    body['@odata.nextLink'] = nextLink(new URL(context.serviceRoot).origin, request.url, {
      $skiptoken: pagingCookie(page + 1, table.primaryKey, first, last),
    });
  }
  return jsonResponse(200, body, responseHeaders(context));
}

/** `GET <set>(<key>)`: one row, with `$select` and `$expand`; 304 for a matching `If-None-Match`. */
export function retrieveRecord(
  context: ReadContext,
  table: TableDefinition,
  row: Row,
  request: SandboxRequest,
  options: QueryOptions,
): SandboxResponse {
  for (const unsupported of ['filter', 'orderBy', 'top', 'skip', 'count'] as const) {
    if (options[unsupported] !== undefined) {
      throw new ODataQueryError(
        `The query option '$${unsupported.toLowerCase()}' is not allowed when retrieving a single record.`,
      );
    }
  }
  checkSelect(table, options.select);
  const etag = etagOf(row);
  const conditional = !options.expand && context.preferences.includeAnnotations.length === 0;
  if (conditional && header(request, 'if-none-match') === etag)
    return { status: 304, headers: { ETag: etag } };
  const body = {
    '@odata.context': `${contextUrl(context, table, options.select)}/$entity`,
    ...formatWithExpand(context, table, row, options),
  };
  return jsonResponse(200, body, { ...responseHeaders(context), ETag: etag });
}

export function contextUrl(
  context: ReadContext,
  table: TableDefinition,
  select: string[] | undefined,
): string {
  return `${context.serviceRoot}$metadata#${table.entitySet}${select ? `(${select.join(',')})` : ''}`;
}

export function responseHeaders(context: ReadContext): Record<string, string> {
  const applied: string[] = [];
  if (context.preferences.maxPageSize !== undefined)
    applied.push(`odata.maxpagesize=${context.preferences.maxPageSize}`);
  if (context.preferences.includeAnnotations.length > 0) {
    applied.push(`odata.include-annotations="${context.preferences.includeAnnotations.join(',')}"`);
  }
  return {
    'OData-Version': '4.0',
    ...(applied.length > 0 ? { 'Preference-Applied': applied.join(',') } : {}),
  };
}

function checkSelect(table: TableDefinition, select: string[] | undefined): void {
  const unknown = unknownSelections(table, select);
  if (unknown.length > 0) {
    throw new ODataQueryError(
      `Could not find a property named '${unknown[0]}' on type '${typeName(table)}'.`,
    );
  }
}

function selectRows(context: ReadContext, table: TableDefinition, rows: Row[], options: QueryOptions): Row[] {
  checkSelect(table, options.select);
  const schema = filterSchema(table, context.data);
  const predicate = options.filter ? compileFilter(options.filter, schema) : () => true;
  const primaryKey: SortKey<Row> = { get: (row) => row[table.primaryKey], descending: false };
  return sortRows(rows.filter(predicate), [...orderByKeys(options.orderBy, schema), primaryKey]);
}

function formatWithExpand(
  context: ReadContext,
  table: TableDefinition,
  row: Row,
  options: QueryOptions,
): Record<string, unknown> {
  const output = formatRow(table, row, options.select, context.preferences, context.data);
  for (const item of options.expand ?? []) output[item.navigation] = expand(context, table, row, item);
  return output;
}

function expand(context: ReadContext, table: TableDefinition, row: Row, item: ExpandItem): unknown {
  const lookup = table.lookups.find((candidate) => candidate.navigation === item.navigation);
  if (lookup) {
    const target = tablesByEntitySet.get(lookup.target) as TableDefinition;
    if (item.options.filter || item.options.orderBy || item.options.top !== undefined) {
      throw new ODataQueryError(
        `Only $select is supported when expanding the single-valued navigation property '${item.navigation}'.`,
      );
    }
    checkSelect(target, item.options.select);
    const id = row[lookup.attribute];
    const targetRow = typeof id === 'string' ? context.data.get(target.entitySet, id) : undefined;
    return targetRow ? formatWithExpand(context, target, targetRow, item.options) : null;
  }
  const collection = table.collections.find((candidate) => candidate.name === item.navigation);
  if (!collection) {
    throw new ODataQueryError(
      `Could not find a property named '${item.navigation}' on type '${typeName(table)}'.`,
    );
  }
  const child = tablesByEntitySet.get(collection.entitySet) as TableDefinition;
  const children = context.data
    .rows(child.entitySet)
    .filter((candidate) => candidate[collection.lookupAttribute] === row[table.primaryKey]);
  if (item.options.expand && (item.options.orderBy || item.options.top !== undefined)) {
    throw new ODataQueryError(
      `$orderby and $top are not supported with a nested $expand in '${item.navigation}'.`,
    );
  }
  const selected = selectRows(context, child, children, item.options);
  const limited = item.options.top !== undefined ? selected.slice(0, item.options.top) : selected;
  return limited.map((childRow) => formatWithExpand(context, child, childRow, item.options));
}
