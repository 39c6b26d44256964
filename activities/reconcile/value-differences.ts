/**
 * Comparing a document with its counterpart as the mapping project maps it: values by field, lines by
 * line number, and the differences in words and as the report's two sides. Every join uses it.
 */

/** One value that differs; `line` is absent for the header. `field` is `line` when one side lacks the line. */
export interface ValueDifference {
  line?: number;
  field: string;
  fieldService: unknown;
  finance: unknown;
}

/** Whether `actual` holds the value `expected` for `field`. */
type SameValue = (expected: unknown, actual: unknown, field: string) => boolean;

/** How to compare: which side the mapped (expected) values stand for, and what counts as the same value. */
export interface Comparison {
  expected: 'fieldService' | 'finance';
  same?: SameValue;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const amount = (value: unknown) => (typeof value === 'number' ? value : Number(value ?? 0) || 0);

/** Amounts to the cent, an unset amount being 0. */
export const sameAmount = (expected: unknown, actual: unknown): boolean =>
  Math.abs(amount(expected) - amount(actual)) < 0.005;

/** Text without case (F&O's collation), unset being empty. */
export const sameText = (expected: unknown, actual: unknown): boolean =>
  text(expected).toLowerCase() === text(actual).toLowerCase();

/**
 * Whether F&O's or Field Service's value says what the mapping made: amounts to the cent (unset is 0),
 * a date by its day (F&O returns dates as date-times), text without case (F&O's collation).
 */
export function sameValue(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number') return sameAmount(expected, actual);
  if (typeof expected === 'string' && DATE.test(expected)) return text(actual).slice(0, 10) === expected;
  return sameText(expected, actual);
}

/** The fields of `expected` whose value `actual` does not have. */
export function valueDifferences(
  expected: Readonly<Record<string, unknown>>,
  actual: Readonly<Record<string, unknown>>,
  fields: readonly string[],
  comparison: Comparison,
  line?: number,
): ValueDifference[] {
  const same = comparison.same ?? sameValue;
  return fields
    .filter((field) => !same(expected[field], actual[field], field))
    .map((field) => {
      const [wanted, found] = [expected[field] ?? null, actual[field] ?? null];
      return comparison.expected === 'fieldService'
        ? { line, field, fieldService: wanted, finance: found }
        : { line, field, fieldService: found, finance: wanted };
    });
}

/**
 * Line by line, in line number order: a line only one side has, then each field of lines both have.
 * `fieldsOf` names the fields compared on a line (those the mapping makes of it).
 */
export function lineDifferences(
  expected: ReadonlyMap<number, Readonly<Record<string, unknown>>>,
  actual: ReadonlyMap<number, Readonly<Record<string, unknown>>>,
  fieldsOf: (line: Readonly<Record<string, unknown>>) => readonly string[],
  comparison: Comparison,
): ValueDifference[] {
  const numbers = [...new Set([...expected.keys(), ...actual.keys()])].sort((a, b) => a - b);
  return numbers.flatMap((line) => {
    const wanted = expected.get(line);
    const found = actual.get(line);
    if (wanted && found) return valueDifferences(wanted, found, fieldsOf(wanted), comparison, line);
    const [fieldService, finance] =
      comparison.expected === 'fieldService' ? [wanted, found] : [found, wanted];
    return [
      {
        line,
        field: 'line',
        fieldService: fieldService ? 'present' : null,
        finance: finance ? 'present' : null,
      },
    ];
  });
}

/** A value as the report words it: `(none)` when unset. */
export const show = (value: unknown): string =>
  value === null || value === undefined || value === '' ? '(none)' : String(value);

/**
 * Differences in words, e.g. `line 1 Quantity: Field Service 2, F&O 3; line 2 only in F&O`; `fieldService`
 * names the Field Service document where a line is only there.
 */
export function describeValueDifferences(
  differences: readonly ValueDifference[],
  fieldService = 'Field Service',
): string {
  return differences
    .map((difference) => {
      const where = difference.line === undefined ? '' : `line ${difference.line} `;
      if (difference.field === 'line')
        return `${where}only in ${difference.fieldService === null ? 'F&O' : fieldService}`;
      return `${where}${difference.field}: Field Service ${show(difference.fieldService)}, F&O ${show(difference.finance)}`;
    })
    .join('; ');
}

/** The differing values of each side, for the report: header fields by name, lines as `line <n> <field>`. */
export function sidesOfDifferences(differences: readonly ValueDifference[]): {
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
