import { DataverseClock } from './clock';
import type { DataverseState } from './dataverse-state';
import type { Row, TableDefinition } from './schema';
import { dataverseTables, tablesByEntitySet } from './tables';

/** Row access over the Dataverse state: versions, alternate keys and cascading deletes. */
export class DataverseData {
  constructor(
    private readonly state: () => DataverseState,
    private readonly changed: () => void,
    /** What the service stamps on `createdon`, `modifiedon` and the other datetimes it sets. */
    readonly clock = new DataverseClock(),
  ) {}

  rows(entitySet: string): Row[] {
    return Object.values(this.table(entitySet));
  }

  get(entitySet: string, id: string): Row | undefined {
    return this.table(entitySet)[id.toLowerCase()];
  }

  findByKey(table: TableDefinition, values: Map<string, unknown>): Row | undefined {
    return this.rows(table.entitySet).find((row) =>
      [...values].every(([name, value]) => sameKeyValue(readKeyValue(table, row, name), value)),
    );
  }

  /** The other row that already holds `row`'s values for one of the table's alternate keys. */
  duplicateOf(table: TableDefinition, row: Row): { key: string[] } | undefined {
    for (const key of table.alternateKeys) {
      if (key.some((column) => row[column] === null || row[column] === undefined)) continue;
      const clash = this.rows(table.entitySet).find(
        (other) =>
          other[table.primaryKey] !== row[table.primaryKey] &&
          key.every((column) => sameKeyValue(other[column], row[column])),
      );
      if (clash) return { key };
    }
    return undefined;
  }

  nextVersion(): number {
    const state = this.state();
    state.versionCounter += 1;
    return state.versionCounter;
  }

  put(table: TableDefinition, row: Row): void {
    this.table(table.entitySet)[String(row[table.primaryKey])] = row;
    this.changed();
  }

  /** Deletes a row, its child rows (parental relationships) and clears lookups that pointed at it. */
  delete(table: TableDefinition, id: string): void {
    delete this.table(table.entitySet)[id];
    for (const collection of table.collections) {
      const childTable = tablesByEntitySet.get(collection.entitySet);
      if (!childTable) continue;
      for (const child of this.rows(collection.entitySet)) {
        if (child[collection.lookupAttribute] === id)
          this.delete(childTable, String(child[childTable.primaryKey]));
      }
    }
    for (const other of dataverseTables) {
      for (const lookup of other.lookups.filter((candidate) => candidate.target === table.entitySet)) {
        for (const row of this.rows(other.entitySet)) {
          if (row[lookup.attribute] === id) {
            row[lookup.attribute] = null;
            row.versionnumber = this.nextVersion();
          }
        }
      }
    }
    this.changed();
  }

  touch(): void {
    this.changed();
  }

  private table(entitySet: string): Record<string, Row> {
    const tables = this.state().tables;
    tables[entitySet] ??= {};
    return tables[entitySet];
  }
}

/** Alternate key parts may name a lookup as `_x_value`. */
function readKeyValue(table: TableDefinition, row: Row, name: string): unknown {
  const lookup = /^_(.+)_value$/.exec(name);
  if (lookup && table.lookups.some((candidate) => candidate.attribute === lookup[1])) return row[lookup[1]];
  return row[name];
}

function sameKeyValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

export function etagOf(row: Row): string {
  return `W/"${String(row.versionnumber)}"`;
}
