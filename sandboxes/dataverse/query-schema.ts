import type { FilterSchema, PropertyAccessor, ValueKind } from '../odata/filter-evaluator';
import type { DataverseData } from './dataverse-data';
import { edmTypes, type ColumnDefinition, type Row, type TableDefinition } from './schema';
import { tablesByEntitySet } from './tables';

const valueKinds: Record<ColumnDefinition['type'], ValueKind> = {
  string: 'string',
  integer: 'number',
  decimal: 'number',
  money: 'number',
  boolean: 'boolean',
  datetime: 'datetime',
  dateonly: 'datetime',
  choice: 'number',
  guid: 'guid',
};

export function typeName(table: TableDefinition): string {
  return `Microsoft.Dynamics.CRM.${table.logicalName}`;
}

/** What `$filter` and `$orderby` may name: columns, `_x_value` lookups and `lookup/column` paths. */
export function filterSchema(table: TableDefinition, data: DataverseData): FilterSchema<Row> {
  return {
    typeName: typeName(table),
    property: (path) => {
      if (path.length === 1) return ownProperty(table, path[0]);
      if (path.length !== 2) return undefined;
      const lookup = table.lookups.find((candidate) => candidate.navigation === path[0]);
      const target = lookup && tablesByEntitySet.get(lookup.target);
      const inner = target && ownProperty(target, path[1]);
      if (!lookup || !target || !inner) return undefined;
      return {
        ...inner,
        get: (row) => {
          const id = row[lookup.attribute];
          const targetRow = typeof id === 'string' ? data.get(target.entitySet, id) : undefined;
          return targetRow ? inner.get(targetRow) : null;
        },
      };
    },
  };
}

function ownProperty(table: TableDefinition, name: string): PropertyAccessor<Row> | undefined {
  const column = table.columns[name];
  if (column)
    return { kind: valueKinds[column.type], edmType: edmTypes[column.type], get: (row) => row[name] };
  const lookup = /^_(.+)_value$/.exec(name);
  if (lookup && table.lookups.some((candidate) => candidate.attribute === lookup[1])) {
    return { kind: 'guid', edmType: 'Edm.Guid', get: (row) => row[lookup[1]] };
  }
  return undefined;
}

/** The `$select` names the table does not have. */
export function unknownSelections(table: TableDefinition, select: string[] | undefined): string[] {
  return (select ?? []).filter(
    (name) => !ownProperty(table, name) && !table.lookups.some((lookup) => lookup.attribute === name),
  );
}
