import { DataverseClock } from './clock';
import type { DataverseState } from './dataverse-state';
import type { Row, TableDefinition } from './schema';
import { dataverseTables, tablesByEntitySet } from './tables';
import { actingUser } from './users';

/** A row created or updated, as plug-in steps see it: the message and the attributes the write set. */
export interface RowChange {
  message: 'Create' | 'Update';
  table: TableDefinition;
  row: Row;
  /** A copy of the row before an Update (what a pre-image shows); undefined on Create. */
  previous?: Row;
  /** The columns the request (or the plug-in) set, whether or not their values changed. */
  attributes: string[];
  /** The user the write acted as (`systemuser` row): the impersonated one, else the application user. */
  user: Row;
}

/** Columns the platform stamps on every write; they never trigger a step's filtering attributes. */
const stampedColumns = new Set(['createdon', 'modifiedon', 'versionnumber', 'modifiedby']);

/** The platform's rows of the system tables (`sdkmessages`, ...), by entity set and id. */
const systemTables = new Map(
  dataverseTables
    .filter((table) => table.systemRows)
    .map((table) => [
      table.entitySet,
      Object.fromEntries((table.systemRows ?? []).map((row) => [String(row[table.primaryKey]), row])),
    ]),
);

/** Row access over the Dataverse state: versions, alternate keys and cascading deletes. */
export class DataverseData {
  private readonly observers: ((change: RowChange) => void)[] = [];

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

  /** Calls `observer` for every row created or updated from now on (not for deletes). */
  observe(observer: (change: RowChange) => void): void {
    this.observers.push(observer);
  }

  /**
   * Stores a new or replaced row. `requested` names the columns the request sent; without it the
   * columns whose values differ from the previous row (all set columns of a new row) count as set.
   */
  put(table: TableDefinition, row: Row, requested?: Iterable<string>): void {
    const rows = this.table(table.entitySet);
    const id = String(row[table.primaryKey]);
    const previous = rows[id];
    row.modifiedby = actingUser().systemuserid;
    rows[id] = row;
    this.changed();
    if (this.observers.length === 0) return;
    const attributes = new Set(requested ?? []);
    for (const name of columnNames(table)) {
      const differs = previous ? previous[name] !== row[name] : row[name] !== null && row[name] !== undefined;
      if (differs && !stampedColumns.has(name)) attributes.add(name);
    }
    this.report({
      message: previous ? 'Update' : 'Create',
      table,
      row,
      previous,
      attributes: [...attributes],
      user: actingUser(),
    });
  }

  /** A row changed in place (by a plug-in or a simulated user): its new `attributes` were set; `previous` is a copy from before. */
  updated(entitySet: string, row: Row, attributes: string[], previous: Row): void {
    row.modifiedby = actingUser().systemuserid;
    this.changed();
    const table = tablesByEntitySet.get(entitySet);
    if (table) this.report({ message: 'Update', table, row, previous, attributes, user: actingUser() });
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

  private report(change: RowChange): void {
    for (const observer of this.observers) observer(change);
  }

  private table(entitySet: string): Record<string, Row> {
    const system = systemTables.get(entitySet);
    if (system) return system;
    const tables = this.state().tables;
    tables[entitySet] ??= {};
    return tables[entitySet];
  }
}

const columnNames = (table: TableDefinition) => [
  ...Object.keys(table.columns),
  ...table.lookups.map((lookup) => lookup.attribute),
];

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
