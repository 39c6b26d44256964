import { wantsAnnotation, type Preferences } from '../odata/prefer';
import { etagOf, type DataverseData } from './dataverse-data';
import { formatValue } from './formatted-values';
import type { Row, TableDefinition } from './schema';
import { tablesByEntitySet } from './tables';

const formattedValue = 'OData.Community.Display.V1.FormattedValue';
const lookupLogicalName = 'Microsoft.Dynamics.CRM.lookuplogicalname';
const associatedNavigation = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

/** Writes a row as the Web API returns it: `@odata.etag`, columns, `_x_value` lookups, requested annotations. */
export function formatRow(
  table: TableDefinition,
  row: Row,
  select: string[] | undefined,
  preferences: Preferences,
  data: DataverseData,
): Record<string, unknown> {
  const output: Record<string, unknown> = { '@odata.etag': etagOf(row) };
  // Selecting a money column brings the row's currency with it.
  const selectsMoney = select?.some((name) => table.columns[name]?.type === 'money') ?? false;
  const selected = (name: string) =>
    !select || select.includes(name) || (selectsMoney && name === '_transactioncurrencyid_value');
  const wantsFormatted = wantsAnnotation(preferences, formattedValue);
  const currencySymbol = currencySymbolOf(row, data);
  for (const [name, column] of Object.entries(table.columns)) {
    if (!selected(name) && name !== table.primaryKey) continue;
    const value = column.writeOnly ? null : (row[name] ?? null);
    output[name] = value;
    const text = wantsFormatted ? formatValue(column, value, currencySymbol) : undefined;
    if (text !== undefined) output[`${name}@${formattedValue}`] = text;
  }
  for (const lookup of table.lookups) {
    const property = `_${lookup.attribute}_value`;
    if (!selected(property) && !selected(lookup.attribute)) continue;
    const id = (row[lookup.attribute] as string | null | undefined) ?? null;
    output[property] = id;
    if (id === null) continue;
    const target = tablesByEntitySet.get(lookup.target);
    const targetRow = target ? data.get(target.entitySet, id) : undefined;
    if (wantsFormatted && target && targetRow) {
      output[`${property}@${formattedValue}`] = targetRow[target.primaryName] ?? '';
    }
    if (wantsAnnotation(preferences, associatedNavigation))
      output[`${property}@${associatedNavigation}`] = lookup.navigation;
    if (wantsAnnotation(preferences, lookupLogicalName) && target)
      output[`${property}@${lookupLogicalName}`] = target.logicalName;
  }
  return output;
}

function currencySymbolOf(row: Row, data: DataverseData): string {
  const currencyId = row.transactioncurrencyid;
  if (typeof currencyId !== 'string') return '';
  const currency = data.get('transactioncurrencies', currencyId);
  return typeof currency?.currencysymbol === 'string' ? currency.currencysymbol : '';
}
