import type { PurchaseOrderHeader, PurchaseOrderLine } from '../../../connectors/entities/finance';
import { type DestinationPayload, mapRecord, type SourceValues } from '../../../mappings/engine';
import { same } from '../../agreement-invoice/posted-differences';
import { copiedColumns } from '../../purchase-order/owned-values';
import type { PurchaseOrderTasks } from '../../purchase-order/purchase-order-tasks';
import {
  type Comparison,
  describeValueDifferences,
  lineDifferences,
  show,
  sidesOfDifferences,
  type ValueDifference,
  valueDifferences,
} from '../value-differences';

/**
 * One value on which Field Service and F&O disagree; `line` is absent for the header. `owner` is the
 * side whose value is the record: Field Service for what is ordered (compared in F&O's terms, as the
 * tasks to F&O map the Field Service order now), F&O for approval, statuses and prices (compared in
 * Field Service's terms, as the tasks back map F&O's order; `source` names F&O's field and value).
 */
export interface Difference extends ValueDifference {
  owner: 'fieldService' | 'finance';
  source?: { field: string; value: unknown };
}

/** The F&O order the tasks to F&O make of the Field Service order now: header, lines by line number. */
export interface ExpectedOrder {
  header: DestinationPayload;
  lines: ReadonlyMap<number, DestinationPayload>;
}

/** The Field Service order as read: header row and line rows by line number. */
export interface FieldServiceOrderRows {
  header: SourceValues;
  lines: ReadonlyMap<number, SourceValues>;
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

/** The values a payload sends, less its key and what the mapping leaves empty (the workflow does not write those). */
const sentValues = (payload: DestinationPayload): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(payload.values).filter(([field, value]) => !(field in payload.key) && !isEmpty(value)),
  );

const fromFieldService: Comparison = { expected: 'fieldService', same };

/** What Field Service sends, against F&O's order: the values the workflow writes, compared as it compares them. */
export function fieldServiceOwnedDifferences(
  expected: ExpectedOrder,
  order: PurchaseOrderHeader,
  lines: readonly PurchaseOrderLine[],
): Difference[] {
  const header = sentValues(expected.header);
  const wanted = new Map([...expected.lines].map(([line, payload]) => [line, sentValues(payload)]));
  const actual = new Map(lines.map((line): [number, Record<string, unknown>] => [line.LineNumber, line]));
  return [
    ...valueDifferences(header, order, Object.keys(header), fromFieldService),
    ...lineDifferences(wanted, actual, Object.keys, fromFieldService),
  ].map((difference) => ({ owner: 'fieldService', ...difference }));
}

/**
 * The workflow follows F&O until F&O has received everything; F&O's vendor invoicing comes after, so
 * an Invoiced order or line is shown in Field Service as Received.
 */
function asFollowed(record: Record<string, unknown>): Record<string, unknown> {
  const followed = { ...record };
  for (const status of ['PurchaseOrderStatus', 'PurchaseOrderLineStatus'])
    if (followed[status] === 'Invoiced') followed[status] = 'Received';
  return followed;
}

/** Shown as F&O says: empty equals empty, amounts to the cent (an unset amount being 0). */
function shown(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number') return Math.abs(expected - Number(actual ?? 0)) < 0.005;
  if (isEmpty(expected)) return isEmpty(actual);
  return String(expected) === String(actual ?? '');
}

/**
 * What F&O owns, against the Field Service order: the values the tasks back to Field Service map from
 * F&O's header and from each line both sides have, except the columns Field Service owns.
 */
export function financeOwnedDifferences(
  tasks: Pick<PurchaseOrderTasks, 'header' | 'lines' | 'headerStatus' | 'linePrices'>,
  fieldService: FieldServiceOrderRows,
  order: PurchaseOrderHeader,
  lines: readonly PurchaseOrderLine[],
): Difference[] {
  const differences: Difference[] = [];
  const compare = (
    task: PurchaseOrderTasks['headerStatus'],
    owned: ReadonlySet<string>,
    record: Record<string, unknown>,
    row: SourceValues,
    line?: number,
  ) => {
    const { values } = mapRecord(task, asFollowed(record));
    for (const map of task.fieldMaps) {
      const column = map.target;
      if (!(column in values) || owned.has(column) || task.key.includes(column)) continue;
      if (shown(values[column], row[column])) continue;
      differences.push({
        owner: 'finance',
        line,
        field: column,
        fieldService: row[column] ?? null,
        finance: values[column],
        source:
          map.source === undefined ? undefined : { field: map.source, value: record[map.source] ?? null },
      });
    }
  };
  compare(tasks.headerStatus, new Set(copiedColumns(tasks.header)), order, fieldService.header);
  const ownedByLines = new Set(copiedColumns(tasks.lines));
  for (const line of [...lines].sort((a, b) => a.LineNumber - b.LineNumber)) {
    const row = fieldService.lines.get(line.LineNumber);
    if (row) compare(tasks.linePrices, ownedByLines, line, row, line.LineNumber);
  }
  return differences;
}

/** F&O's value in F&O's terms where the tasks back mapped it: its own field and value, then the mapped value if other. */
const inFinanceTerms = (difference: Difference): Difference => {
  const { source } = difference;
  if (!source) return difference;
  const mapped = String(source.value) === String(difference.finance) ? '' : ` (${show(difference.finance)})`;
  return { ...difference, finance: `${source.field} ${show(source.value)}${mapped}` };
};

/** Differences in words, e.g. `line 1 OrderedPurchaseQuantity: Field Service 5, F&O 6; line 2 only in F&O`. */
export const describeDifferences = (differences: readonly Difference[]): string =>
  describeValueDifferences(differences.map(inFinanceTerms));

/** Each side's values, for the report: in F&O's terms where Field Service owns them, in Field Service's where F&O does. */
export function sidesOf(differences: readonly Difference[]): {
  fieldService: Record<string, unknown>;
  finance: Record<string, unknown>;
} {
  const asFinanceHasThem = differences.map((difference) =>
    difference.source
      ? { ...difference, field: difference.source.field, finance: difference.source.value }
      : difference,
  );
  return {
    fieldService: sidesOfDifferences(differences).fieldService,
    finance: sidesOfDifferences(asFinanceHasThem).finance,
  };
}
