import type { SalesOrderHeader, SalesOrderLine } from '../../../connectors/entities/finance';
import {
  type Comparison,
  describeValueDifferences,
  lineDifferences,
  sameAmount,
  sameText,
  type ValueDifference,
  valueDifferences,
} from '../value-differences';

/** The sales order the mapping project makes of a work order now: header values and lines by line number. */
export interface ExpectedOrder {
  header: Readonly<Record<string, unknown>>;
  lines: ReadonlyMap<number, Readonly<Record<string, unknown>>>;
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

/** The work order's values against F&O's order: amounts by their field (an unmapped discount is 0), the rest as text. */
const fromWorkOrder: Comparison = {
  expected: 'fieldService',
  same: (expected, actual, field) =>
    AMOUNTS.has(field) ? sameAmount(expected, actual) : sameText(expected, actual),
};

/** Where the F&O order differs from what the work order maps to now. */
export function orderDifferences(
  expected: ExpectedOrder,
  header: SalesOrderHeader,
  lines: readonly SalesOrderLine[],
): ValueDifference[] {
  const actualLines = new Map(
    lines.map((line): [number, Record<string, unknown>] => [line.LineCreationSequenceNumber, line]),
  );
  return [
    ...valueDifferences(expected.header, header, HEADER_FIELDS, fromWorkOrder),
    ...lineDifferences(expected.lines, actualLines, () => LINE_FIELDS, fromWorkOrder),
  ];
}

/** Differences in words, e.g. `line 1 OrderedSalesQuantity: Field Service 3, F&O 5; line 2 only in F&O`. */
export const describeDifferences = (differences: readonly ValueDifference[]): string =>
  describeValueDifferences(differences, 'the work order');
