import { eq, guid, or } from '../connectors';
import { columnsOf, type DataverseClient } from '../connectors/dataverse/dataverse-client';
import type { RelatedRecords, RequiredLookup, SourceValues } from '../mappings/engine';
import { dataverseTableOf, unique } from './dataverse-tables';
import { ReferenceData } from './reference-data';

/** Ids per request: keeps the `$filter` (and the URL) short. */
const IDS_PER_QUERY = 50;

export interface ResolveOptions {
  /** Records already at hand (e.g. from an `$expand`), by entity set and id. */
  known?: ReadonlyMap<string, ReadonlyMap<string, SourceValues>>;
  /** Lookups to leave out, e.g. a line's parent header, which the engine fills in. */
  skip?: ReadonlySet<string>;
  /** More columns to read per entity set, e.g. those its master-data task maps. */
  extraFields?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Fetches the related records field maps read (`requiredLookups`): reference data from the worker's
 * cache, everything else by id, one query per entity set for all rows at once.
 */
export class RelatedRecordReader {
  readonly #dataverse: DataverseClient;
  readonly #reference: ReferenceData;

  constructor(dataverse: DataverseClient, reference: ReferenceData) {
    this.#dataverse = dataverse;
    this.#reference = reference;
  }

  /** For each row, its related records by lookup (`null` where the lookup is empty or dangling). */
  async resolve(
    rows: readonly SourceValues[],
    lookups: readonly RequiredLookup[],
    options: ResolveOptions = {},
  ): Promise<RelatedRecords[]> {
    const wanted = lookups.filter((lookup) => !options.skip?.has(lookup.lookup));
    const byEntity = new Map<string, ReadonlyMap<string, SourceValues>>();
    for (const entity of unique(wanted.map((lookup) => lookup.entity))) {
      const ofEntity = wanted.filter((lookup) => lookup.entity === entity);
      byEntity.set(entity, await this.#rowsOf(entity, rows, ofEntity, options));
    }
    return rows.map((row) =>
      Object.fromEntries(
        wanted.map((lookup) => {
          const id = row[`_${lookup.lookup}_value`];
          const target = typeof id === 'string' ? byEntity.get(lookup.entity)?.get(id) : undefined;
          return [lookup.lookup, target ?? null];
        }),
      ),
    );
  }

  async #rowsOf(
    entity: string,
    rows: readonly SourceValues[],
    lookups: readonly RequiredLookup[],
    options: ResolveOptions,
  ): Promise<ReadonlyMap<string, SourceValues>> {
    const ids = unique(rows.flatMap((row) => lookups.map((lookup) => row[`_${lookup.lookup}_value`]))).filter(
      (id): id is string => typeof id === 'string',
    );
    const known = options.known?.get(entity);
    if (known && ids.every((id) => known.has(id))) return known;
    if (ReferenceData.has(entity)) return this.#reference.rows(entity);
    const fields = [...lookups.flatMap((lookup) => lookup.fields), ...(options.extraFields?.[entity] ?? [])];
    return this.byIds(entity, ids, fields);
  }

  /** Rows of an entity set by primary key, with the given columns besides the schema's. */
  async byIds(
    entitySet: string,
    ids: readonly string[],
    fields: readonly string[],
  ): Promise<Map<string, SourceValues>> {
    const table = dataverseTableOf(entitySet);
    const select = unique([...columnsOf(table.schema), ...fields]);
    const found = new Map<string, SourceValues>();
    for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
      const [first, ...rest] = ids
        .slice(start, start + IDS_PER_QUERY)
        .map((id) => eq(table.primaryKey, guid(id)));
      for await (const row of this.#dataverse.query(table, { select, filter: or(first!, ...rest) })) {
        found.set(String(row[table.primaryKey]), row);
      }
    }
    return found;
  }
}
