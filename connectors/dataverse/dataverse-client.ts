import type { z } from 'zod';
import type { TokenProvider } from '../auth/token-provider';
import type { DataverseTable } from '../entities/dataverse/table';
import { ODataTransport } from '../http/odata-transport';
import type { RequestObserver } from '../http/request-observer';
import type { ConnectorLogger } from '../logger';
import type { BatchOperation, ChangeSet } from '../odata/batch-request';
import type { BatchPartResponse } from '../odata/batch-response';
import { collectionRows } from '../odata/collection';
import { type ChangeSetOutcome, executeBatch, executeBatchSettled } from '../odata/execute-batch';
import { keySegment } from '../odata/keys';
import { guid, type ODataValue } from '../odata/literals';
import { parseJson, parseRecord } from '../odata/parse';
import { queryString, type QueryOptions } from '../odata/query-options';
import { selectedSchema, type Selected } from '../odata/selection';

export interface DataverseClientOptions {
  /** The environment URL, e.g. `https://contoso.crm.dynamics.com`; also the token's resource. */
  url: string;
  tokenProvider: TokenProvider;
  logger?: ConnectorLogger;
  /** Told of every HTTP request the client sends. */
  observer?: RequestObserver;
  timeoutMs?: number;
  /** `Prefer: odata.maxpagesize` for queries; at most 5000. */
  pageSize?: number;
}

export interface DataverseQueryOptions extends QueryOptions {
  pageSize?: number;
}

/** A row's primary key (a GUID) or one of the table's alternate keys. */
export type DataverseKey = string | Readonly<Record<string, ODataValue>>;

const API_PATH = '/api/data/v9.2/';
const DEFAULT_PAGE_SIZE = 500;
/** Formatted values, lookup names and targets on rows; plug-in details on errors. */
const ANNOTATIONS = 'odata.include-annotations="*"';

/** The Dataverse Web API: typed rows in and out, every call one HTTP request. */
export class DataverseClient {
  readonly #transport: ODataTransport;
  readonly #pageSize: number;

  constructor(options: DataverseClientOptions) {
    this.#transport = new ODataTransport({
      service: 'dataverse',
      serviceRoot: `${options.url.replace(/\/+$/, '')}${API_PATH}`,
      tokenProvider: options.tokenProvider,
      logger: options.logger,
      observer: options.observer,
      timeoutMs: options.timeoutMs,
    });
    this.#pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  }

  /**
   * Every matching row, page by page through `@odata.nextLink`. `$select` defaults to the
   * schema's columns; with an explicit `select`, only those columns are checked and typed.
   */
  async *query<S extends z.ZodObject, C extends string = string>(
    table: DataverseTable<S>,
    options: Omit<DataverseQueryOptions, 'select'> & { select?: readonly C[] } = {},
  ): AsyncGenerator<Selected<z.infer<S>, C>> {
    const select = options.select ?? columnsOf(table.schema);
    const path = `${table.entitySet}${queryString({ ...options, select })}`;
    // Dataverse ignores $top when a page size is also asked for.
    const pageSize =
      options.top === undefined ? `odata.maxpagesize=${options.pageSize ?? this.#pageSize},` : '';
    const headers = { 'if-none-match': 'null', prefer: `${pageSize}${ANNOTATIONS}` };
    const schema = selectedSchema(table.schema, options.select);
    for await (const row of collectionRows(this.#transport, path, headers)) {
      yield parseRecord(schema, row, 'dataverse', `GET ${table.entitySet}`) as Selected<z.infer<S>, C>;
    }
  }

  /** One row by primary key or alternate key; a missing row is a `not-found` `D365Error`. */
  async retrieve<S extends z.ZodObject, C extends string = string>(
    table: DataverseTable<S>,
    key: DataverseKey,
    options: Pick<QueryOptions, 'expand'> & { select?: readonly C[] } = {},
  ): Promise<Selected<z.infer<S>, C>> {
    const select = options.select ?? columnsOf(table.schema);
    const path = `${this.rowPath(table, key)}${queryString({ ...options, select })}`;
    const response = await this.#transport.send({
      method: 'GET',
      path,
      headers: { 'if-none-match': 'null', prefer: ANNOTATIONS },
    });
    const operation = `GET ${table.entitySet}`;
    const schema = selectedSchema(table.schema, options.select);
    return parseRecord(
      schema,
      parseJson('dataverse', operation, response.body),
      'dataverse',
      operation,
    ) as Selected<z.infer<S>, C>;
  }

  /** Creates a row and returns it as stored (`Prefer: return=representation`). */
  async create<S extends z.ZodObject>(
    table: DataverseTable<S>,
    values: Record<string, unknown>,
  ): Promise<z.infer<S>> {
    const response = await this.#write('POST', `${table.entitySet}${this.#selectOf(table)}`, values);
    return this.#row(table, response.body, 'POST');
  }

  /**
   * Updates an existing row only if it is unchanged since it was read (`If-Match: <etag>`); a
   * changed row is a `precondition-failed` `D365Error`. Pass `'*'` to update whatever version
   * exists without ever creating one.
   */
  async update<S extends z.ZodObject>(
    table: DataverseTable<S>,
    key: DataverseKey,
    changes: Record<string, unknown>,
    etag: string,
  ): Promise<z.infer<S>> {
    const path = `${this.rowPath(table, key)}${this.#selectOf(table)}`;
    const response = await this.#write('PATCH', path, changes, { 'if-match': etag });
    return this.#row(table, response.body, 'PATCH');
  }

  /**
   * Creates or updates the row with this alternate key. The key's values travel in the URL only:
   * Dataverse strips or overrides them in the body.
   */
  async upsert<S extends z.ZodObject>(
    table: DataverseTable<S>,
    alternateKey: Readonly<Record<string, ODataValue>>,
    values: Record<string, unknown>,
  ): Promise<{ created: boolean; row: z.infer<S> }> {
    const body = Object.fromEntries(Object.entries(values).filter(([column]) => !(column in alternateKey)));
    const response = await this.#write(
      'PATCH',
      `${this.rowPath(table, alternateKey)}${this.#selectOf(table)}`,
      body,
    );
    return { created: response.status === 201, row: this.#row(table, response.body, 'PATCH') };
  }

  /** Deletes a row; a missing row is a `not-found` `D365Error`. */
  async delete(table: DataverseTable, key: DataverseKey): Promise<void> {
    await this.#transport.send({ method: 'DELETE', path: this.rowPath(table, key) });
  }

  /** Change sets in one `$batch`; a failure rolls back its change set and is thrown. */
  batch(changeSets: readonly ChangeSet[]): Promise<BatchPartResponse[]> {
    return executeBatch(this.#transport, changeSets, { prefer: ANNOTATIONS });
  }

  /** Change sets in one `$batch` that goes on past a refused change set; each one's outcome, in order. */
  batchSettled(changeSets: readonly ChangeSet[]): Promise<ChangeSetOutcome[]> {
    return executeBatchSettled(this.#transport, changeSets, { prefer: ANNOTATIONS });
  }

  /** A batch operation creating a row. */
  createOperation(table: DataverseTable, values: Record<string, unknown>): BatchOperation {
    return { method: 'POST', path: table.entitySet, body: values };
  }

  /** A batch operation updating a row if unchanged since it was read (`If-Match`). */
  updateOperation(
    table: DataverseTable,
    key: DataverseKey,
    changes: Record<string, unknown>,
    etag: string,
  ): BatchOperation {
    return { method: 'PATCH', path: this.rowPath(table, key), headers: { 'If-Match': etag }, body: changes };
  }

  /** The path of a row relative to the service root, e.g. for batch operations. */
  rowPath(table: DataverseTable, key: DataverseKey): string {
    return `${table.entitySet}${keySegment(typeof key === 'string' ? guid(key) : key)}`;
  }

  #selectOf(table: DataverseTable): string {
    return queryString({ select: columnsOf(table.schema) });
  }

  #write(method: 'POST' | 'PATCH', path: string, body: unknown, headers: Record<string, string> = {}) {
    return this.#transport.send({
      method,
      path,
      headers: {
        ...headers,
        'content-type': 'application/json; charset=utf-8',
        prefer: `return=representation,${ANNOTATIONS}`,
      },
      body: JSON.stringify(body),
    });
  }

  #row<S extends z.ZodObject>(table: DataverseTable<S>, body: string, method: string): z.infer<S> {
    const operation = `${method} ${table.entitySet}`;
    return parseRecord(table.schema, parseJson('dataverse', operation, body), 'dataverse', operation);
  }
}

/** A schema's columns, for `$select`; annotations are not columns. */
export function columnsOf(schema: z.ZodObject): string[] {
  return Object.keys(schema.shape).filter((name) => !name.includes('@'));
}
