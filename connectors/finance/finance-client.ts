import type { z } from 'zod';
import type { TokenProvider } from '../auth/token-provider';
import type { FinanceEntity } from '../entities/finance/entity';
import { D365Error } from '../errors';
import { ODataTransport } from '../http/odata-transport';
import type { RequestObserver } from '../http/request-observer';
import type { ConnectorLogger } from '../logger';
import type { BatchOperation, ChangeSet } from '../odata/batch-request';
import type { BatchPartResponse } from '../odata/batch-response';
import { collectionRows, parseCollectionPage } from '../odata/collection';
import {
  type ChangeSetOutcome,
  executeBatch,
  executeBatchSettled,
  executeBatchThenRead,
} from '../odata/execute-batch';
import { and, eq, type Filter } from '../odata/filter';
import { keySegment } from '../odata/keys';
import type { ODataValue } from '../odata/literals';
import { invalidResponse, parseJson, parseRecord } from '../odata/parse';
import { queryString, type QueryOptions } from '../odata/query-options';
import { selectedSchema, type Selected } from '../odata/selection';

export interface FinanceClientOptions {
  /** The environment URL, e.g. `https://contoso.operations.dynamics.com`; also the token's resource. */
  url: string;
  /** The legal entity (`dataAreaId`) every call reads and writes. */
  company: string;
  tokenProvider: TokenProvider;
  logger?: ConnectorLogger;
  /** Told of every HTTP request the client sends. */
  observer?: RequestObserver;
  timeoutMs?: number;
}

/** A query of the company, as one of several sent together (`queries`). */
export interface FinanceQuery {
  entity: FinanceEntity;
  options?: Omit<QueryOptions, 'select'> & { select?: readonly string[] };
  /** Every company the app user can access, as `queryAllCompanies`; else the client's company. */
  allCompanies?: boolean;
}

/** An entity's key fields other than `dataAreaId`, which the client adds. */
export type FinanceKey<Key extends string> = Readonly<Record<Key, ODataValue>>;

/**
 * F&O OData under `/data/`. Every call names the company explicitly: `cross-company=true` with
 * `dataAreaId` in keys, filters and bodies, so the app user's default company never matters.
 */
export class FinanceClient {
  readonly company: string;
  readonly #transport: ODataTransport;

  constructor(options: FinanceClientOptions) {
    this.company = options.company.toLowerCase();
    this.#transport = new ODataTransport({
      service: 'finance',
      serviceRoot: `${options.url.replace(/\/+$/, '')}/data/`,
      tokenProvider: options.tokenProvider,
      logger: options.logger,
      observer: options.observer,
      timeoutMs: options.timeoutMs,
    });
  }

  /**
   * Every matching record of the company, page by page through `@odata.nextLink`. Without a
   * `select` every field comes back; with one, only those fields are checked and typed.
   */
  async *query<S extends z.ZodObject, K extends string, C extends string = string>(
    entity: FinanceEntity<S, K>,
    options: Omit<QueryOptions, 'select'> & { select?: readonly C[] } = {},
  ): AsyncGenerator<Selected<z.infer<S>, C>> {
    const schema = selectedSchema(entity.schema, options.select);
    for await (const record of collectionRows(this.#transport, this.#queryPath(entity, options), {})) {
      yield parseRecord(schema, record, 'finance', `GET ${entity.entitySet}`) as Selected<z.infer<S>, C>;
    }
  }

  /**
   * Change sets, then a query of the company in the same `$batch`: the records as F&O holds them once
   * the change sets are written (e.g. the amounts it computes). A failed change set is thrown and the
   * query's answer dropped; pages after the first, if any, are read after the batch.
   */
  async batchThenQuery<S extends z.ZodObject, K extends string, C extends string = string>(
    changeSets: readonly ChangeSet[],
    entity: FinanceEntity<S, K>,
    options: Omit<QueryOptions, 'select'> & { select?: readonly C[] } = {},
  ): Promise<Selected<z.infer<S>, C>[]> {
    const path = this.#queryPath(entity, options);
    const [response] = await executeBatchThenRead(this.#transport, changeSets, [path]);
    return (await this.#rowsOf({ entity, options }, path, response!.body)) as Selected<z.infer<S>, C>[];
  }

  /**
   * Several queries of the company in one `$batch` of GETs (one request, e.g. every check before a
   * write); each query's records, in order. Pages after the first, if any, are read after the batch.
   */
  async queries(queries: readonly FinanceQuery[]): Promise<Record<string, unknown>[][]> {
    if (queries.length === 0) return [];
    const paths = queries.map(({ entity, options = {}, allCompanies }) =>
      allCompanies
        ? `${entity.entitySet}${queryString(options, { 'cross-company': 'true' })}`
        : this.#queryPath(entity, options),
    );
    const responses = await executeBatchThenRead(this.#transport, [], paths);
    return Promise.all(
      queries.map((query, index) => this.#rowsOf(query, paths[index]!, responses[index]!.body)),
    );
  }

  async #rowsOf(query: FinanceQuery, path: string, body: string): Promise<Record<string, unknown>[]> {
    const page = parseCollectionPage('finance', path, body);
    const rows = [...page.rows];
    if (page.next) for await (const row of collectionRows(this.#transport, page.next, {})) rows.push(row);
    const schema = selectedSchema(query.entity.schema, query.options?.select);
    return rows.map((row) => parseRecord(schema, row, 'finance', `GET ${query.entity.entitySet}`));
  }

  /** A query of the company: `cross-company=true` with `dataAreaId` in the filter. */
  #queryPath(entity: FinanceEntity, options: QueryOptions): string {
    const inCompany = eq('dataAreaId', this.company);
    const filter = options.filter ? and(inCompany, options.filter) : inCompany;
    return `${entity.entitySet}${queryString({ ...options, filter }, { 'cross-company': 'true' })}`;
  }

  /**
   * Every matching record of every company the app user can access (`cross-company=true` without a
   * company filter), e.g. for a watcher that serves all legal entities.
   */
  async *queryAllCompanies<S extends z.ZodObject, K extends string>(
    entity: FinanceEntity<S, K>,
    options: QueryOptions = {},
  ): AsyncGenerator<z.infer<S>> {
    const path = `${entity.entitySet}${queryString(options, { 'cross-company': 'true' })}`;
    for await (const record of collectionRows(this.#transport, path, {})) {
      yield parseRecord(entity.schema, record, 'finance', `GET ${entity.entitySet}`);
    }
  }

  /** How many records of the company match, without reading them (`/$count`). */
  count(entity: FinanceEntity, filter?: Filter): Promise<number> {
    const inCompany = eq('dataAreaId', this.company);
    return this.#count(entity, filter ? and(inCompany, filter) : inCompany);
  }

  /** How many records of every company the app user can access match, without reading them. */
  countAllCompanies(entity: FinanceEntity, filter?: Filter): Promise<number> {
    return this.#count(entity, filter);
  }

  /** One record by its key; a missing record is a `not-found` `D365Error`. */
  async retrieve<S extends z.ZodObject, K extends string, C extends string = string>(
    entity: FinanceEntity<S, K>,
    key: FinanceKey<K>,
    options: Pick<QueryOptions, 'expand'> & { select?: readonly C[] } = {},
  ): Promise<Selected<z.infer<S>, C>> {
    const path = `${this.recordPath(entity, key)}${queryString(options, { 'cross-company': 'true' })}`;
    const response = await this.#transport.send({ method: 'GET', path });
    const operation = `GET ${entity.entitySet}`;
    const schema = selectedSchema(entity.schema, options.select);
    return parseRecord(
      schema,
      parseJson('finance', operation, response.body),
      'finance',
      operation,
    ) as Selected<z.infer<S>, C>;
  }

  /** Creates a record in the company and returns it as stored. */
  async create<S extends z.ZodObject, K extends string>(
    entity: FinanceEntity<S, K>,
    values: Record<string, unknown>,
  ): Promise<z.infer<S>> {
    const response = await this.#transport.send({
      method: 'POST',
      path: `${entity.entitySet}?cross-company=true`,
      headers: { 'content-type': 'application/json; charset=utf-8', prefer: 'return=representation' },
      body: JSON.stringify({ ...values, dataAreaId: this.company }),
    });
    return this.#record(entity, response.body, 'POST');
  }

  /** Changes fields of an existing record; with an ETag, only if it is unchanged since it was read. */
  async update<K extends string>(
    entity: FinanceEntity<z.ZodObject, K>,
    key: FinanceKey<K>,
    changes: Record<string, unknown>,
    etag?: string,
  ): Promise<void> {
    await this.#transport.send({
      method: 'PATCH',
      path: `${this.recordPath(entity, key)}?cross-company=true`,
      headers: { 'content-type': 'application/json; charset=utf-8', ...(etag ? { 'if-match': etag } : {}) },
      body: JSON.stringify(changes),
    });
  }

  /**
   * Updates the record with this key, or creates it when there is none. F&O OData has no
   * upsert, so this is an update that falls back to a create on 404.
   */
  async upsert<K extends string>(
    entity: FinanceEntity<z.ZodObject, K>,
    key: FinanceKey<K>,
    values: Record<string, unknown>,
  ): Promise<{ created: boolean }> {
    try {
      await this.update(entity, key, values);
      return { created: false };
    } catch (error) {
      if (!(error instanceof D365Error) || error.kind !== 'not-found') throw error;
    }
    await this.create(entity, { ...values, ...key });
    return { created: true };
  }

  /** Change sets in one `$batch`, each one transaction; a failure rolls back its change set and is thrown. */
  batch(changeSets: readonly ChangeSet[]): Promise<BatchPartResponse[]> {
    return executeBatch(this.#transport, changeSets);
  }

  /** Change sets in one `$batch` that goes on past a refused change set; each one's outcome, in order. */
  batchSettled(changeSets: readonly ChangeSet[]): Promise<ChangeSetOutcome[]> {
    return executeBatchSettled(this.#transport, changeSets);
  }

  /** A batch operation creating a record in the company. */
  createOperation(entity: FinanceEntity, values: Record<string, unknown>): BatchOperation {
    return {
      method: 'POST',
      path: `${entity.entitySet}?cross-company=true`,
      body: { ...values, dataAreaId: this.company },
    };
  }

  /** A batch operation changing fields of a record in the company. */
  updateOperation<K extends string>(
    entity: FinanceEntity<z.ZodObject, K>,
    key: FinanceKey<K>,
    changes: Record<string, unknown>,
  ): BatchOperation {
    return { method: 'PATCH', path: `${this.recordPath(entity, key)}?cross-company=true`, body: changes };
  }

  /** A batch operation deleting a record of the company. */
  deleteOperation<K extends string>(
    entity: FinanceEntity<z.ZodObject, K>,
    key: FinanceKey<K>,
  ): BatchOperation {
    return { method: 'DELETE', path: `${this.recordPath(entity, key)}?cross-company=true` };
  }

  /** The path of a record relative to the service root, company included, e.g. for batch operations. */
  recordPath<K extends string>(entity: FinanceEntity<z.ZodObject, K>, key: FinanceKey<K>): string {
    return `${entity.entitySet}${keySegment({ dataAreaId: this.company, ...key })}`;
  }

  /** `GET <Entity>/$count?$filter=…` answers a plain number (text/plain, possibly after a byte order mark). */
  async #count(entity: FinanceEntity, filter: Filter | undefined): Promise<number> {
    const path = `${entity.entitySet}/$count${queryString({ filter }, { 'cross-company': 'true' })}`;
    const response = await this.#transport.send({ method: 'GET', path, headers: { accept: 'text/plain' } });
    const text = response.body.replace(/^\uFEFF/, '').trim();
    if (!/^\d+$/.test(text)) {
      throw invalidResponse('finance', `GET ${entity.entitySet}/$count`, `not a count: ${text.slice(0, 40)}`);
    }
    return Number(text);
  }

  #record<S extends z.ZodObject>(entity: FinanceEntity<S>, body: string, method: string): z.infer<S> {
    const operation = `${method} ${entity.entitySet}`;
    return parseRecord(entity.schema, parseJson('finance', operation, body), 'finance', operation);
  }
}
