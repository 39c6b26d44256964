import type { ColumnDefinition } from './schema';

/** The `OData.Community.Display.V1.FormattedValue` text of a column value (en-US, UTC). */
export function formatValue(
  column: ColumnDefinition,
  value: unknown,
  currencySymbol: string,
): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (column.type) {
    case 'choice':
      return column.options?.[value as number];
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'money':
      return `${currencySymbol}${(value as number).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    case 'decimal':
      return (value as number).toLocaleString('en-US', {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      });
    case 'integer':
      return (value as number).toLocaleString('en-US');
    case 'datetime':
      return formatDateTime(new Date(value as string));
    case 'dateonly': {
      const [year, month, day] = (value as string).split('-').map(Number);
      return `${month}/${day}/${year}`;
    }
    default:
      return undefined;
  }
}

function formatDateTime(date: Date): string {
  const hours = date.getUTCHours();
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${hour12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
}
