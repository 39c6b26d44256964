import { jsonResponse } from '../http/json';
import { header, type SandboxRequest, type SandboxResponse } from '../http/types';
import { compileFilter } from '../odata/filter-evaluator';
import type { Preferences } from '../odata/prefer';
import { nextLink } from '../odata/next-link';
import type { QueryOptions } from '../odata/query-options';
import { ODataQueryError } from '../odata/query-error';
import { orderByKeys, sortRows, type SortKey } from '../odata/rows';
import { etagOf, type FinanceData } from './finance-data';
import type { FinanceRow } from './finance-state';
import { filterSchema, typeName } from './query-schema';
import type { EntityDefinition } from './schema';

export interface FinanceContext {
  data: FinanceData;
  serviceRoot: string;
  defaultCompany: string;
  /** `?cross-company=true`: every company instead of the caller's default one. */
  crossCompany: boolean;
  preferences: Preferences;
  serverPageSize: number;
}

/** `GET /data/<Entity>`: default company unless cross-company, `$filter`, `$orderby`, `$skip`, `$top`, `$count`, server paging. */
export function queryEntitySet(
  context: FinanceContext,
  entity: EntityDefinition,
  request: SandboxRequest,
  options: QueryOptions,
): SandboxResponse {
  if (options.expand)
    throw new ODataQueryError(
      `The entity '${entity.name}' has no navigation property to expand in this sandbox.`,
    );
  checkSelect(entity, options.select);
  const schema = filterSchema(entity);
  const predicate = options.filter ? compileFilter(options.filter, schema) : () => true;
  const keys: SortKey<FinanceRow>[] = entity.keys.map((key) => ({
    get: (row) => row[key],
    descending: false,
  }));
  const visible = context.data
    .rows(entity.storage)
    .filter((row) => inScope(context, entity, row) && predicate(row));
  const rows = sortRows(visible, [...orderByKeys(options.orderBy, schema), ...keys]);
  const skip = options.skip ?? 0;
  const end = options.top === undefined ? rows.length : Math.min(rows.length, skip + options.top);
  const pageSize = Math.min(
    context.preferences.maxPageSize ?? context.serverPageSize,
    context.serverPageSize,
  );
  const page = rows.slice(skip, Math.min(end, skip + pageSize));
  const body: Record<string, unknown> = { '@odata.context': contextUrl(context, entity, options.select) };
  if (options.count) body['@odata.count'] = rows.length;
  body.value = page.map((row) => formatRecord(entity, row, options.select));
  if (skip + page.length < end) {
    const replace: Record<string, string> = { $skip: String(skip + page.length) };
    if (options.top !== undefined) replace.$top = String(end - skip - page.length);
    body['@odata.nextLink'] = nextLink(new URL(context.serviceRoot).origin, request.url, replace);
  }
  return jsonResponse(200, body, { 'OData-Version': '4.0' });
}

/**
 * `GET /data/<Entity>/$count`: the number of rows in scope that `$filter` selects, as a bare number in
 * text/plain (OData's `$count` segment takes `$filter` and ignores paging).
 */
export function countEntitySet(
  context: FinanceContext,
  entity: EntityDefinition,
  options: QueryOptions,
): SandboxResponse {
  const predicate = options.filter ? compileFilter(options.filter, filterSchema(entity)) : () => true;
  const count = context.data
    .rows(entity.storage)
    .filter((row) => inScope(context, entity, row) && predicate(row)).length;
  return {
    status: 200,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'OData-Version': '4.0' },
    body: String(count),
  };
}

/** `GET /data/<Entity>(<keys>)`. */
export function retrieveEntity(
  context: FinanceContext,
  entity: EntityDefinition,
  row: FinanceRow,
  request: SandboxRequest,
  options: QueryOptions,
): SandboxResponse {
  checkSelect(entity, options.select);
  const etag = etagOf(row);
  if (header(request, 'if-none-match') === etag) return { status: 304, headers: { ETag: etag } };
  const body = {
    '@odata.context': `${contextUrl(context, entity, options.select)}/$entity`,
    ...formatRecord(entity, row, options.select),
  };
  return jsonResponse(200, body, { 'OData-Version': '4.0', ETag: etag });
}

export function inScope(context: FinanceContext, entity: EntityDefinition, row: FinanceRow): boolean {
  if (entity.shared || context.crossCompany) return true;
  return String(row.dataAreaId).toLowerCase() === context.defaultCompany;
}

export function formatRecord(
  entity: EntityDefinition,
  row: FinanceRow,
  select: string[] | undefined,
): Record<string, unknown> {
  const output: Record<string, unknown> = { '@odata.etag': etagOf(row) };
  for (const name of Object.keys(entity.fields)) {
    if (!select || select.includes(name)) output[name] = row[name];
  }
  return output;
}

function contextUrl(context: FinanceContext, entity: EntityDefinition, select: string[] | undefined): string {
  return `${context.serviceRoot}$metadata#${entity.name}${select ? `(${select.join(',')})` : ''}`;
}

function checkSelect(entity: EntityDefinition, select: string[] | undefined): void {
  const unknown = (select ?? []).find((name) => !(name in entity.fields));
  if (unknown)
    throw new ODataQueryError(`Could not find a property named '${unknown}' on type '${typeName(entity)}'.`);
}
