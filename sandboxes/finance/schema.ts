/**
 * `date`: an F&O date field (invoice date, receipt date, ...): `Edm.DateTimeOffset` on the wire, always
 * midnight UTC; `datetime`: a UTC date and time to the second.
 */
export type FieldType = 'string' | 'int' | 'real' | 'date' | 'datetime' | { enum: string };

export interface EntityDefinition {
  /** Public collection name, e.g. `CustomersV3`. */
  name: string;
  /** The OData entity type, e.g. `CustomerV3` (`Microsoft.Dynamics.DataEntities.CustomerV3`). */
  typeName: string;
  /** The X++ data entity, as named in write-failure messages. */
  tableType: string;
  /** Entities over the same table share a storage name (e.g. CDS and V2 sales order headers). */
  storage: string;
  keys: string[];
  fields: Record<string, FieldType>;
  /** Read-only entities (posted documents, on-hand) refuse POST, PATCH and DELETE. */
  readOnly?: boolean;
  /** Not per company (e.g. `LegalEntities`): no `dataAreaId`, the same rows whatever the company. */
  shared?: boolean;
  /** A key field F&O fills from a number sequence when the client leaves it empty. */
  numberSequence?: { field: string; prefix: string };
}

const noDate = '1900-01-01T00:00:00Z';

export function defaultValue(type: FieldType, enums: Record<string, Record<string, number>>): unknown {
  if (typeof type === 'object') return Object.keys(enums[type.enum])[0];
  return { string: '', int: 0, real: 0, date: noDate, datetime: noDate }[type];
}
