import type { DataverseClient } from '../connectors/dataverse/dataverse-client';
import { currencies, type DataverseTable, unitGroups, units } from '../connectors/entities/dataverse';
import type { SourceValues } from '../mappings/engine';

const TTL_MS = 10 * 60_000;

const TABLES: ReadonlyMap<string, DataverseTable> = new Map<string, DataverseTable>([
  [unitGroups.entitySet, unitGroups],
  [units.entitySet, units],
  [currencies.entitySet, currencies],
]);

/**
 * Unit groups, units and currencies: small tables every mapping reads and that rarely change, so each worker
 * keeps them in memory for ten minutes instead of asking Dataverse for them on every work order.
 */
export class ReferenceData {
  readonly #dataverse: DataverseClient;
  readonly #tables = new Map<string, { loadedAt: number; rows: Promise<Map<string, SourceValues>> }>();

  constructor(dataverse: DataverseClient) {
    this.#dataverse = dataverse;
  }

  static has(entitySet: string): boolean {
    return TABLES.has(entitySet);
  }

  /** The rows of a reference entity set by primary key. */
  rows(entitySet: string): Promise<Map<string, SourceValues>> {
    const cached = this.#tables.get(entitySet);
    if (cached && Date.now() - cached.loadedAt < TTL_MS) return cached.rows;
    const table = TABLES.get(entitySet);
    if (table === undefined) throw new Error(`${entitySet} is not reference data`);
    const rows = this.#load(table);
    this.#tables.set(entitySet, { loadedAt: Date.now(), rows });
    rows.catch(() => this.#tables.delete(entitySet));
    return rows;
  }

  async #load(table: DataverseTable): Promise<Map<string, SourceValues>> {
    const byId = new Map<string, SourceValues>();
    for await (const row of this.#dataverse.query(table)) byId.set(String(row[table.primaryKey]), row);
    return byId;
  }
}
