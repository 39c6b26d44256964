/** Annotation terms Dataverse adds with `Prefer: odata.include-annotations="*"` (docs/dynamics-365-wire.md#dataverse-values-and-annotations). */
export const Annotation = {
  formattedValue: 'OData.Community.Display.V1.FormattedValue',
  lookupLogicalName: 'Microsoft.Dynamics.CRM.lookuplogicalname',
  associatedNavigationProperty: 'Microsoft.Dynamics.CRM.associatednavigationproperty',
} as const;

type Row = Readonly<Record<string, unknown>>;

function annotation(row: Row, property: string, term: string): string | undefined {
  const value = row[`${property}@${term}`];
  return typeof value === 'string' ? value : undefined;
}

/** The label Dataverse shows for a column: a choice's label, a lookup's primary name, formatted money or date. */
export function formattedValue(row: Row, column: string): string | undefined {
  return annotation(row, column, Annotation.formattedValue);
}

export interface LookupReference {
  id: string;
  /** The related row's table, e.g. `account`; tells a polymorphic lookup's targets apart. */
  logicalName?: string;
  /** The related row's primary name. */
  name?: string;
  /** The single-valued navigation property to write it back with `@odata.bind`, e.g. `customerid_account`. */
  navigationProperty?: string;
}

/** Reads a lookup from its `_<name>_value` property and annotations; null when the lookup is empty. */
export function lookupReference(row: Row, lookupName: string): LookupReference | null {
  const property = `_${lookupName}_value`;
  const id = row[property];
  if (typeof id !== 'string') return null;
  return {
    id,
    logicalName: annotation(row, property, Annotation.lookupLogicalName),
    name: annotation(row, property, Annotation.formattedValue),
    navigationProperty: annotation(row, property, Annotation.associatedNavigationProperty),
  };
}

/** Sets a lookup on create or update: `{"<navigation>@odata.bind": "/<entity set>(<id>)"}`. */
export function bind(navigationProperty: string, entitySet: string, id: string): Record<string, string> {
  return { [`${navigationProperty}@odata.bind`]: `/${entitySet}(${id})` };
}
