import { header, type SandboxRequest, type SandboxResponse } from '../http/types';
import type { TokenAuthority } from '../entra/token-authority';
import { parseKeySegment } from '../odata/key-segment';
import { parsePrefer } from '../odata/prefer';
import { serviceDocument } from '../odata/service-document';
import { parseQueryOptions } from '../odata/query-options';
import { ODataQueryError } from '../odata/query-error';
import type { ControlRoute } from '../platform/control-router';
import type { AuthFailure, HostedService } from '../platform/service-host';
import { executeBatch } from './batch';
import { entitiesByName } from './entities';
import {
  invalidQuery,
  methodNotAllowed,
  noResource,
  recordNotFound,
  serviceUnavailable,
  tooManyRequests,
} from './errors';
import { normalizeDate, normalizeDateTime } from './field-values';
import type { FinanceData } from './finance-data';
import type { FinanceRow } from './finance-state';
import { typeName } from './query-schema';
import { countEntitySet, inScope, queryEntitySet, retrieveEntity, type FinanceContext } from './read';
import type { EntityDefinition } from './schema';
import { createEntity, deleteEntity, updateEntity } from './write';

export interface FinanceServiceOptions {
  data: FinanceData;
  baseUrl(): string;
  authority: TokenAuthority;
  defaultCompany: string;
  serverPageSize(): number;
  snapshot(): () => void;
  controlRoutes: ControlRoute[];
}

const resourcePath = /^([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?(?:\/(.+))?$/;

/** F&O OData under `/data/`. */
export function financeService(options: FinanceServiceOptions): HostedService {
  const serviceRoot = () => `${options.baseUrl()}/data/`;

  async function handle(request: SandboxRequest): Promise<SandboxResponse> {
    const fullUrl = `${options.baseUrl()}${request.url.pathname}${request.url.search}`;
    if (!request.url.pathname.startsWith('/data/')) return noResource(fullUrl);
    let path: string;
    try {
      path = decodeURIComponent(request.url.pathname.slice('/data/'.length));
    } catch {
      return invalidQuery('The request URL is not valid.');
    }
    if (path === '' && request.method === 'GET')
      return serviceDocument(serviceRoot(), [...entitiesByName.keys()]);
    if (path === '$batch')
      return request.method === 'POST'
        ? executeBatch(request, { serviceRoot: serviceRoot(), execute: handle, snapshot: options.snapshot })
        : methodNotAllowed(request.method, '$batch');
    const match = resourcePath.exec(path);
    const entity = match && entitiesByName.get(match[1]);
    if (!match || !entity) return noResource(fullUrl);
    const context: FinanceContext = {
      data: options.data,
      serviceRoot: serviceRoot(),
      defaultCompany: options.defaultCompany,
      crossCompany: request.url.searchParams.get('cross-company')?.toLowerCase() === 'true',
      preferences: parsePrefer(header(request, 'prefer')),
      serverPageSize: options.serverPageSize(),
    };
    try {
      const query = parseQueryOptions(request.url.searchParams);
      if (match[2] === undefined) {
        if (match[3] === '$count') {
          if (request.method !== 'GET') return methodNotAllowed(request.method, entity.name);
          return countEntitySet(context, entity, query);
        }
        if (match[3] !== undefined) return noResource(fullUrl);
        if (request.method === 'GET') return queryEntitySet(context, entity, request, query);
        if (request.method === 'POST') return createEntity(context, entity, request);
        return methodNotAllowed(request.method, entity.name);
      }
      if (match[3] !== undefined) return noResource(fullUrl);
      const keys = readKeys(entity, match[2]);
      if (!keys) {
        return invalidQuery(
          `The number of keys specified in the URI does not match number of key properties for the resource '${typeName(entity)}'.`,
        );
      }
      const row = options.data.find(entity, keys);
      if (!row || !inScope(context, entity, row)) return recordNotFound(entity.name);
      return entityRequest(context, entity, row, request, query);
    } catch (error) {
      if (error instanceof ODataQueryError) return invalidQuery(error.message);
      throw error;
    }
  }

  return {
    // A count is told apart from a read of the same entity set: `SalesInvoiceHeadersV2/$count`.
    resourceOf: (request) =>
      /^\/data\/([$A-Za-z_][A-Za-z0-9_]*(?:\/\$count$)?)/.exec(request.url.pathname)?.[1] ?? 'unknown',
    handle,
    controlRoutes: options.controlRoutes,
    auth: { audience: options.baseUrl, authority: options.authority, unauthorized },
    throttled: tooManyRequests,
    serverError: serviceUnavailable,
  };
}

function entityRequest(
  context: FinanceContext,
  entity: EntityDefinition,
  row: FinanceRow,
  request: SandboxRequest,
  query: ReturnType<typeof parseQueryOptions>,
): SandboxResponse {
  switch (request.method) {
    case 'GET':
      return retrieveEntity(context, entity, row, request, query);
    case 'PATCH':
    case 'PUT':
      return updateEntity(context, entity, row, request);
    case 'DELETE':
      return deleteEntity(context, entity, row, request);
    default:
      return methodNotAllowed(request.method, entity.name);
  }
}

/** All of the entity's keys, by name, converted to the field types; `undefined` if the set of names differs. */
function readKeys(entity: EntityDefinition, text: string): Record<string, unknown> | undefined {
  const key = parseKeySegment(text);
  if (key?.kind !== 'named' || key.values.size !== entity.keys.length) return undefined;
  const keys: Record<string, unknown> = {};
  for (const name of entity.keys) {
    if (!key.values.has(name)) return undefined;
    const value = key.values.get(name);
    const type = entity.fields[name];
    if (type === 'datetime' || type === 'date') {
      const time = Date.parse(String(value));
      if (Number.isNaN(time)) return undefined;
      keys[name] = type === 'date' ? normalizeDate(time) : normalizeDateTime(time);
    } else if (type === 'int' || type === 'real') {
      if (typeof value !== 'number') return undefined;
      keys[name] = value;
    } else {
      if (typeof value !== 'string') return undefined;
      keys[name] = value;
    }
  }
  return keys;
}

function unauthorized(failure: AuthFailure): SandboxResponse {
  const challenge =
    failure === 'missing'
      ? 'Bearer'
      : `Bearer error="invalid_token", error_description="The access token is ${failure === 'expired' ? 'expired' : 'invalid'}"`;
  return { status: 401, headers: { 'WWW-Authenticate': challenge } };
}
