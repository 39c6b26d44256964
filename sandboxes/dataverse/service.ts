import { randomUUID } from 'node:crypto';
import { jsonResponse } from '../http/json';
import { header, type SandboxRequest, type SandboxResponse } from '../http/types';
import type { TokenAuthority } from '../entra/token-authority';
import { parseKeySegment } from '../odata/key-segment';
import { parsePrefer } from '../odata/prefer';
import { serviceDocument } from '../odata/service-document';
import { parseQueryOptions, type QueryOptions } from '../odata/query-options';
import { ODataQueryError } from '../odata/query-error';
import type { ControlRoute } from '../platform/control-router';
import type { AuthFailure, HostedService } from '../platform/service-host';
import { executeBatch } from './batch';
import type { WebhookPublisher } from './plugin-steps/webhook-publisher';
import { annotateError } from './error-annotations';
import type { DataverseData } from './dataverse-data';
import {
  dataverseError,
  invalidQuery,
  keyNotFound,
  methodNotAllowed,
  recordNotFound,
  synchronousStepFailed,
  resourceNotFound,
  serviceProtectionLimit,
  unexpectedError,
} from './errors';
import { businessUnitId, organizationId } from './identity';
import { queryCollection, retrieveRecord, type ReadContext } from './read';
import type { TableDefinition } from './schema';
import { tablesByEntitySet } from './tables';
import { actingAs, actingUser, impersonatedUser } from './users';
import { createRecord, deleteRecord, patchRecord, type RecordTarget } from './write';

export interface DataverseServiceOptions {
  data: DataverseData;
  baseUrl(): string;
  tokenServiceUrl(): string;
  tenantId: string;
  authority: TokenAuthority;
  snapshot(): () => void;
  controlRoutes: ControlRoute[];
  /** Sends what the plug-in steps registered on the written rows must receive, once a request is committed. */
  webhooks: WebhookPublisher;
}

const apiPath = /^\/api\/data\/v9\.[0-2]\/(.*)$/;
const resourcePath = /^([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?(?:\/(.+))?$/;

/** The Dataverse Web API under `/api/data/v9.2/`. */
export function dataverseService(options: DataverseServiceOptions): HostedService {
  const serviceRoot = () => `${options.baseUrl()}/api/data/v9.2/`;

  const { webhooks } = options;

  /** A request with `MSCRMCallerID` or `CallerObjectId` acts as that user (a batch's request: its own, else the batch's). */
  async function handle(request: SandboxRequest): Promise<SandboxResponse> {
    const user = impersonatedUser(header(request, 'mscrmcallerid'), header(request, 'callerobjectid'));
    if (user !== undefined && 'unknown' in user)
      return dataverseError(404, '0x80040217', String(user.unknown));
    const run = () => route(request);
    const response = await (user === undefined ? run() : actingAs(user, run));
    return annotateError(response, parsePrefer(header(request, 'prefer')));
  }

  /** A change set rolled back takes the step deliveries its writes queued with it. */
  function snapshot(): () => void {
    const restore = options.snapshot();
    const mark = webhooks.mark();
    return () => {
      restore();
      webhooks.rollback(mark);
    };
  }

  /**
   * Runs a whole request (or control action), then the synchronous steps its writes triggered (one that
   * fails undoes the request's writes and fails it), then releases the asynchronous deliveries.
   */
  async function committing(run: () => Promise<SandboxResponse> | SandboxResponse): Promise<SandboxResponse> {
    const undo = webhooks.hasSynchronousSteps() ? options.snapshot() : undefined;
    try {
      const response = await run();
      const failure = await webhooks.runSynchronous();
      if (!failure) return response;
      undo?.();
      webhooks.discard();
      return synchronousStepFailed(failure);
    } finally {
      webhooks.commit();
    }
  }

  async function route(request: SandboxRequest): Promise<SandboxResponse> {
    const api = apiPath.exec(request.url.pathname);
    if (!api) return resourceNotFound(request.url.pathname.replace(/^\//, ''));
    let path: string;
    try {
      path = decodeURIComponent(api[1]);
    } catch {
      return invalidQuery('The request URL is not valid.');
    }
    const preferences = parsePrefer(header(request, 'prefer'));
    const context: ReadContext = { data: options.data, serviceRoot: serviceRoot(), preferences };
    if (path === '$batch') {
      if (request.method !== 'POST') return methodNotAllowed(request.method);
      return executeBatch(request, {
        serviceRoot: serviceRoot(),
        preferences,
        snapshot,
        execute: (inner) =>
          apiPath.exec(inner.url.pathname)?.[1] === '$batch' ? nestedBatch() : handle(inner),
      });
    }
    if (path === 'WhoAmI' || path === 'WhoAmI()') return whoAmI(context);
    if (path === '' && request.method === 'GET')
      return serviceDocument(serviceRoot(), [...tablesByEntitySet.keys()]);
    const match = resourcePath.exec(path);
    const table = match && tablesByEntitySet.get(match[1]);
    if (!match || !table) return resourceNotFound(match?.[1] ?? path);
    try {
      const query = parseQueryOptions(request.url.searchParams);
      return match[2] === undefined
        ? collectionRequest(context, table, request, query, match[3])
        : entityRequest(context, table, request, query, match[2], match[3]);
    } catch (error) {
      if (error instanceof ODataQueryError) return invalidQuery(error.message);
      throw error;
    }
  }

  return {
    resourceOf: (request) => {
      const api = apiPath.exec(request.url.pathname);
      if (!api) return 'unknown';
      return /^[$A-Za-z_][A-Za-z0-9_]*/.exec(api[1])?.[0] ?? 'unknown';
    },
    handle: (request) => committing(() => handle(request)),
    controlRoutes: options.controlRoutes.map((control) => ({
      ...control,
      handle: (request, params) => committing(() => control.handle(request, params)),
    })),
    auth: {
      audience: options.baseUrl,
      authority: options.authority,
      unauthorized: (failure) => unauthorized(failure, options),
    },
    throttled: serviceProtectionLimit,
    serverError: unexpectedError,
  };
}

function collectionRequest(
  context: ReadContext,
  table: TableDefinition,
  request: SandboxRequest,
  query: QueryOptions,
  property: string | undefined,
): SandboxResponse {
  if (property === '$count') {
    if (request.method !== 'GET') return methodNotAllowed(request.method);
    const count = Math.min(context.data.rows(table.entitySet).length, 5000);
    return {
      status: 200,
      headers: { 'Content-Type': 'text/plain', 'OData-Version': '4.0' },
      body: `\uFEFF${count}`,
    };
  }
  if (property !== undefined) return resourceNotFound(property);
  switch (request.method) {
    case 'GET':
      return queryCollection(context, table, request, query);
    case 'POST':
      return createRecord(context, table, request, query);
    default:
      return methodNotAllowed(request.method);
  }
}

function entityRequest(
  context: ReadContext,
  table: TableDefinition,
  request: SandboxRequest,
  query: QueryOptions,
  keyText: string,
  property: string | undefined,
): SandboxResponse {
  const target = locate(context, table, keyText);
  if ('status' in target) return target;
  const missing = () =>
    target.id ? recordNotFound(table.logicalName, target.id) : keyNotFound(table.logicalName);
  if (property !== undefined) {
    if (request.method !== 'GET') return methodNotAllowed(request.method);
    if (!target.row) return missing();
    const collection = table.collections.find((candidate) => candidate.name === property);
    if (collection) {
      const child = tablesByEntitySet.get(collection.entitySet) as TableDefinition;
      const id = target.row[table.primaryKey];
      const children = context.data
        .rows(child.entitySet)
        .filter((row) => row[collection.lookupAttribute] === id);
      return queryCollection(context, child, request, query, children);
    }
    if (!(property in table.columns)) return resourceNotFound(property);
    return jsonResponse(200, {
      '@odata.context': `${context.serviceRoot}$metadata#${table.entitySet}(${String(target.row[table.primaryKey])})/${property}`,
      value: target.row[property] ?? null,
    });
  }
  switch (request.method) {
    case 'GET':
      return target.row ? retrieveRecord(context, table, target.row, request, query) : missing();
    case 'PATCH':
      return patchRecord(context, table, target, request, query);
    case 'DELETE':
      return target.row ? deleteRecord(context, table, target.row, request) : missing();
    default:
      return methodNotAllowed(request.method);
  }
}

/** Resolves `(<guid>)` or `(<alternate key>=<value>,...)`. */
function locate(
  context: ReadContext,
  table: TableDefinition,
  keyText: string,
): RecordTarget | SandboxResponse {
  const key = parseKeySegment(keyText);
  if (key?.kind === 'single') {
    const id = String(key.value);
    if (!/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(id)) {
      return invalidQuery(`Unrecognized 'Edm.Guid' literal '${keyText}' at '1' in '${keyText}'.`);
    }
    return { row: context.data.get(table.entitySet, id), id };
  }
  if (key?.kind === 'named') {
    const names = [...key.values.keys()].sort().join(',');
    if (!table.alternateKeys.some((alternate) => [...alternate].sort().join(',') === names)) {
      return dataverseError(
        400,
        '0x80060888',
        `The key '${[...key.values.keys()].join(',')}' is not defined as an alternate key of the ${table.logicalName} entity.`,
      );
    }
    return { row: context.data.findByKey(table, key.values), keyValues: key.values };
  }
  return invalidQuery(`Bad Request - Error in query syntax: the key '(${keyText})' is not valid.`);
}

function whoAmI(context: ReadContext): SandboxResponse {
  return jsonResponse(200, {
    '@odata.context': `${context.serviceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: businessUnitId,
    UserId: actingUser().systemuserid,
    OrganizationId: organizationId,
  });
}

function nestedBatch(): Promise<SandboxResponse> {
  return Promise.resolve(dataverseError(400, '0x80048d19', 'Nested batch requests are not supported.'));
}

function unauthorized(failure: AuthFailure, options: DataverseServiceOptions): SandboxResponse {
  const challenge = [
    `Bearer authorization_uri=${options.tokenServiceUrl()}/${options.tenantId}/oauth2/authorize`,
    `resource_id=${options.baseUrl()}/`,
  ];
  if (failure !== 'missing') {
    const description = {
      invalid: 'The access token is invalid',
      expired: 'The access token is expired',
      audience: 'The audience is invalid',
    }[failure];
    challenge.push(`error="invalid_token"`, `error_description="${description}"`);
  }
  return {
    status: 401,
    headers: { 'WWW-Authenticate': challenge.join(', '), 'x-ms-service-request-id': randomUUID() },
  };
}
