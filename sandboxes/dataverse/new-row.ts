import type { Row, TableDefinition } from './schema';

/** A fresh row: every column present (null, booleans false), active state, timestamps and a version. */
export function newRow(table: TableDefinition, id: string, version: number, now: string): Row {
  const row: Row = {};
  for (const [name, column] of Object.entries(table.columns))
    row[name] = column.type === 'boolean' ? false : null;
  for (const lookup of table.lookups) row[lookup.attribute] = null;
  return {
    ...row,
    [table.primaryKey]: id,
    statecode: 0,
    statuscode: 1,
    createdon: now,
    modifiedon: now,
    versionnumber: version,
  };
}
