export type ColumnType =
  'string' | 'integer' | 'decimal' | 'money' | 'boolean' | 'datetime' | 'dateonly' | 'choice' | 'guid';

export const edmTypes: Record<ColumnType, string> = {
  string: 'Edm.String',
  integer: 'Edm.Int32',
  decimal: 'Edm.Decimal',
  money: 'Edm.Decimal',
  boolean: 'Edm.Boolean',
  datetime: 'Edm.DateTimeOffset',
  dateonly: 'Edm.Date',
  choice: 'Edm.Int32',
  guid: 'Edm.Guid',
};

export interface ColumnDefinition {
  type: ColumnType;
  /** Choice labels by value. */
  options?: Record<number, string>;
  /** Set by the platform or by a plug-in; values in a request body are ignored. */
  readOnly?: boolean;
  /** Accepted on writes, never returned (a secret such as a service endpoint's key): reads give null. */
  writeOnly?: boolean;
}

export interface LookupDefinition {
  /** Logical name of the lookup column; read back as `_<attribute>_value`. */
  attribute: string;
  /** Single-valued navigation property used for `@odata.bind` and `$expand`. */
  navigation: string;
  target: string;
}

export interface CollectionDefinition {
  /** Collection-valued navigation property on the parent, used for `$expand`. */
  name: string;
  entitySet: string;
  /** The child's lookup column pointing at the parent. Children are deleted with their parent. */
  lookupAttribute: string;
}

export interface TableDefinition {
  entitySet: string;
  logicalName: string;
  primaryKey: string;
  primaryName: string;
  columns: Record<string, ColumnDefinition>;
  lookups: LookupDefinition[];
  collections: CollectionDefinition[];
  alternateKeys: string[][];
  /** Rows the platform defines (system tables such as `sdkmessages`): readable, never written. */
  systemRows?: Row[];
}

export type Row = Record<string, unknown>;

export interface TableSpec {
  entitySet: string;
  logicalName: string;
  primaryName: string;
  columns: Record<string, ColumnType | ColumnDefinition>;
  /** Lookup attribute → target entity set, or a full definition when the navigation name differs. */
  lookups?: Record<string, string | { navigation: string; target: string }>;
  collections?: CollectionDefinition[];
  alternateKeys?: string[][];
  systemRows?: Row[];
}

const stateCodes = { 0: 'Active', 1: 'Inactive' };
const statusCodes = { 1: 'Active', 2: 'Inactive' };

/** Builds a table definition, adding the columns every Dataverse table has (and `modifiedby`, stamped on writes). */
export function defineTable(spec: TableSpec): TableDefinition {
  const primaryKey = `${spec.logicalName}id`;
  const columns: Record<string, ColumnDefinition> = {
    [primaryKey]: { type: 'guid' },
    createdon: { type: 'datetime', readOnly: true },
    modifiedon: { type: 'datetime', readOnly: true },
    versionnumber: { type: 'integer', readOnly: true },
    statecode: { type: 'choice', options: stateCodes },
    statuscode: { type: 'choice', options: statusCodes },
  };
  for (const [name, column] of Object.entries(spec.columns)) {
    columns[name] = typeof column === 'string' ? { type: column } : column;
  }
  const specLookups: NonNullable<TableSpec['lookups']> = { ...spec.lookups, modifiedby: 'systemusers' };
  const lookups = Object.entries(specLookups).map(([attribute, target]) =>
    typeof target === 'string' ? { attribute, navigation: attribute, target } : { attribute, ...target },
  );
  return {
    entitySet: spec.entitySet,
    logicalName: spec.logicalName,
    primaryKey,
    primaryName: spec.primaryName,
    columns,
    lookups,
    collections: spec.collections ?? [],
    alternateKeys: spec.alternateKeys ?? [],
    systemRows: spec.systemRows,
  };
}
