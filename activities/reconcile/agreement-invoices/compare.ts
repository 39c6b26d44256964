import type { FreeTextInvoiceLine } from '../../../connectors/entities/finance';
import type { MappedFreeTextInvoice } from '../../agreement-invoice/free-text-invoice';
import { lineDifferences, type ValueDifference, valueDifferences } from '../value-differences';
import type { FreeTextInvoice } from './invoice-page';

/** What the finance team checks on the header: who is billed, in which currency, on which date. */
const HEADER_FIELDS = ['CustomerAccount', 'CurrencyCode', 'InvoiceDate'];
/** A line's key fields; every other value the project maps on a line is compared. */
const LINE_KEYS = new Set(['dataAreaId', 'ExternalInvoiceId', 'LineNumber']);

const fromFieldService = { expected: 'fieldService' } as const;
const amount = (value: unknown) => (typeof value === 'number' ? value : 0);
const round = (value: number) => Math.round(value * 100) / 100;

/** F&O's total: as posted, or the sum of its lines while it is not. */
function financeTotal(header: FreeTextInvoice, lines: readonly FreeTextInvoiceLine[]): number {
  if (header.IsPosted === 'Yes' && typeof header.TotalInvoiceAmount === 'number')
    return header.TotalInvoiceAmount;
  return round(
    lines.reduce(
      (sum, line) => sum + (amount(line.TransactionCurrencyAmount) || line.Quantity * line.UnitPrice),
      0,
    ),
  );
}

/**
 * Where F&O's free text invoice differs from what the Field Service invoice maps to now: the header's
 * customer, currency and date, and each line's mapped values. When lines differ, the totals are shown too.
 */
export function freeTextInvoiceDifferences(
  expected: MappedFreeTextInvoice,
  header: FreeTextInvoice,
  lines: readonly FreeTextInvoiceLine[],
): ValueDifference[] {
  const differences = valueDifferences(expected.header.values, header, HEADER_FIELDS, fromFieldService);
  const wanted = new Map(expected.lines.map((line) => [Number(line.key.LineNumber), line.values]));
  const found = new Map(lines.map((line) => [Number(line.LineNumber), line as Record<string, unknown>]));
  const ofLines = lineDifferences(
    wanted,
    found,
    (values) => Object.keys(values).filter((field) => !LINE_KEYS.has(field)),
    fromFieldService,
  );
  differences.push(...ofLines);
  const total = financeTotal(header, lines);
  if (ofLines.length > 0 && Math.abs(total - expected.summary.totalAmount) >= 0.005) {
    differences.push({ field: 'total', fieldService: expected.summary.totalAmount, finance: total });
  }
  return differences;
}

/** A difference in who is billed, in what or when, rather than in what was billed. */
export const isHeaderDifference = (difference: ValueDifference): boolean =>
  difference.line === undefined && difference.field !== 'total';
