import type { SalesOrderHeader, SalesOrderLine } from '../../../connectors/entities/finance';

/** The sales order the mapping project makes of a work order now: header values and lines by line number. */
export interface ExpectedOrder {
  header: Readonly<Record<string, unknown>>;
  lines: ReadonlyMap<number, Readonly<Record<string, unknown>>>;
}

/** One value that differs; `line` is absent for the header. */
export interface Difference {
  line?: number;
  field: string;
  fieldService: unknown;
  finance: unknown;
}

/** What the finance team checks on the header: who is billed and in which currency. */
export const HEADER_FIELDS = [
  'OrderingCustomerAccountNumber',
  'InvoiceCustomerAccountNumber',
  'CurrencyCode',
];
/** And on each line: what was sold, how many, at what price and discount. */
export const LINE_FIELDS = ['ProductNumber', 'OrderedSalesQuantity', 'SalesPrice', 'LineDiscountAmount'];
const AMOUNTS = new Set(['OrderedSalesQuantity', 'SalesPrice', 'LineDiscountAmount']);

/** Strings compare without case (F&O's collation); amounts to the cent, an unset amount being 0. */
function same(field: string, expected: unknown, actual: unknown): boolean {
  if (AMOUNTS.has(field)) return Math.abs(amount(expected) - amount(actual)) < 0.005;
  return text(expected).toLowerCase() === text(actual).toLowerCase();
}
const amount = (value: unknown) => (typeof value === 'number' ? value : Number(value ?? 0) || 0);
const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** Where the F&O order differs from what the work order maps to now. */
export function orderDifferences(
  expected: ExpectedOrder,
  header: SalesOrderHeader,
  lines: readonly SalesOrderLine[],
): Difference[] {
  const differences: Difference[] = [];
  for (const field of HEADER_FIELDS) {
    const actual = (header as Record<string, unknown>)[field];
    if (!same(field, expected.header[field], actual)) {
      differences.push({ field, fieldService: expected.header[field] ?? null, finance: actual ?? null });
    }
  }
  const actualLines = new Map(lines.map((line) => [line.LineCreationSequenceNumber, line]));
  const numbers = [...new Set([...expected.lines.keys(), ...actualLines.keys()])].sort((a, b) => a - b);
  for (const line of numbers) {
    const wanted = expected.lines.get(line);
    const actual = actualLines.get(line) as Record<string, unknown> | undefined;
    if (!wanted || !actual) {
      differences.push({
        line,
        field: 'line',
        fieldService: wanted ? 'present' : null,
        finance: actual ? 'present' : null,
      });
      continue;
    }
    for (const field of LINE_FIELDS) {
      if (!same(field, wanted[field], actual[field])) {
        differences.push({
          line,
          field,
          fieldService: wanted[field] ?? null,
          finance: actual[field] ?? null,
        });
      }
    }
  }
  return differences;
}

/** Differences in words, e.g. `line 1 OrderedSalesQuantity: Field Service 3, F&O 5; line 2 only in F&O`. */
export function describeDifferences(differences: readonly Difference[]): string {
  return differences
    .map((difference) => {
      const where = difference.line === undefined ? '' : `line ${difference.line} `;
      if (difference.field === 'line') {
        return `${where}only in ${difference.fieldService === null ? 'F&O' : 'the work order'}`;
      }
      return `${where}${difference.field}: Field Service ${show(difference.fieldService)}, F&O ${show(difference.finance)}`;
    })
    .join('; ');
}
const show = (value: unknown) => (value === null || value === '' ? '(none)' : String(value));

/** The differing values of each side, for the report: header fields by name, lines by line number. */
export function sidesOf(differences: readonly Difference[]): {
  fieldService: Record<string, unknown>;
  finance: Record<string, unknown>;
} {
  const fieldService: Record<string, unknown> = {};
  const finance: Record<string, unknown> = {};
  for (const difference of differences) {
    const name =
      difference.line === undefined ? difference.field : `line ${difference.line} ${difference.field}`;
    fieldService[name] = difference.fieldService;
    finance[name] = difference.finance;
  }
  return { fieldService, finance };
}
