import type { ProductReceiptHeader, ProductReceiptLine } from '../../../connectors/entities/finance';

/** A posted F&O product receipt of the order and its lines. */
export interface FinanceReceipt {
  header: ProductReceiptHeader;
  lines: ProductReceiptLine[];
}

/** A Field Service purchase order receipt and its lines, each keyed by the F&O `RecordId` it records. */
export interface FieldServiceReceipt {
  id: string;
  name: string;
  /** `null` when it records nothing of F&O's (not written by an integration). */
  recordId: number | null;
  lines: { id: string; recordId: number | null; quantity: number }[];
}

/** A receipt line whose quantity differs; `null` on the side that has no such line. */
export interface ReceiptLineDifference {
  recordId: number | null;
  /** The purchase order line it receives, where F&O says. */
  line?: number;
  fieldService: number | null;
  finance: number | null;
}

/** How the receipts of one order compare, by `RecordId` (`msdyn_recordid` in Field Service). */
export interface ReceiptComparison {
  /** F&O receipts Field Service has not recorded, whole (`lines` all of them) or in part (the lines missing). */
  notRecorded: { receipt: FinanceReceipt; lines: ProductReceiptLine[]; whole: boolean }[];
  /** F&O receipts Field Service records more than once, the one recording it by RecordId first. */
  duplicated: { receipt: FinanceReceipt; rows: FieldServiceReceipt[] }[];
  /** Field Service receipts that record no F&O receipt of the order. */
  orphans: FieldServiceReceipt[];
  /** Recorded receipts whose lines differ from F&O's. */
  lineDifferences: { receipt: FinanceReceipt; differences: ReceiptLineDifference[] }[];
}

const groupBy = <T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> => {
  const groups = new Map<K, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
};

/**
 * Compares F&O's receipts of an order with Field Service's: each recorded exactly once, with F&O's
 * quantities. A Field Service receipt records an F&O receipt by its RecordId; one with another RecordId
 * but the number of a receipt already recorded records it a second time (its stock is booked twice).
 */
export function compareReceipts(
  finance: readonly FinanceReceipt[],
  fieldService: readonly FieldServiceReceipt[],
): ReceiptComparison {
  const comparison: ReceiptComparison = { notRecorded: [], duplicated: [], orphans: [], lineDifferences: [] };
  const posted = new Map(finance.map((receipt) => [receipt.header.RecordId, receipt]));
  const byNumber = new Map(
    finance.map((receipt) => [receipt.header.ProductReceiptNumber.toLowerCase(), receipt]),
  );
  const byRecordId = (receipt: FieldServiceReceipt) =>
    receipt.recordId === null ? undefined : posted.get(receipt.recordId);
  const recorded = groupBy(
    fieldService.filter((receipt) => byRecordId(receipt)),
    (receipt) => receipt.recordId,
  );
  for (const receipt of fieldService) {
    if (byRecordId(receipt)) continue;
    const namesake = byNumber.get(receipt.name.toLowerCase());
    if (namesake && recorded.has(namesake.header.RecordId))
      recorded.get(namesake.header.RecordId)!.push(receipt);
    else comparison.orphans.push(receipt);
  }
  for (const receipt of finance) {
    const rows = recorded.get(receipt.header.RecordId) ?? [];
    if (rows.length === 0) comparison.notRecorded.push({ receipt, lines: receipt.lines, whole: true });
    else if (rows.length > 1) comparison.duplicated.push({ receipt, rows });
    else compareLines(comparison, receipt, rows[0]!);
  }
  return comparison;
}

/** The lines of a recorded receipt: each F&O line recorded with its quantity, and nothing else. */
function compareLines(
  comparison: ReceiptComparison,
  receipt: FinanceReceipt,
  row: FieldServiceReceipt,
): void {
  const lines = new Map(row.lines.map((line) => [line.recordId, line]));
  const missing = receipt.lines.filter((line) => !lines.has(line.RecordId));
  if (missing.length > 0) comparison.notRecorded.push({ receipt, lines: missing, whole: false });
  const differences: ReceiptLineDifference[] = [];
  for (const line of receipt.lines) {
    const recordedLine = lines.get(line.RecordId);
    if (recordedLine && Math.abs(recordedLine.quantity - line.ReceivedPurchaseQuantity) >= 0.0005) {
      differences.push({
        recordId: line.RecordId,
        line: line.PurchaseOrderLineNumber,
        fieldService: recordedLine.quantity,
        finance: line.ReceivedPurchaseQuantity,
      });
    }
  }
  const postedLines = new Set(receipt.lines.map((line) => line.RecordId));
  for (const line of row.lines) {
    if (line.recordId === null || !postedLines.has(line.recordId))
      differences.push({ recordId: line.recordId, fieldService: line.quantity, finance: null });
  }
  if (differences.length > 0) comparison.lineDifferences.push({ receipt, differences });
}

/** What F&O has received of each purchase order line, by line number. */
export function receivedByLine(finance: readonly FinanceReceipt[]): Map<number, number> {
  const received = new Map<number, number>();
  for (const line of finance.flatMap((receipt) => receipt.lines)) {
    const number = line.PurchaseOrderLineNumber;
    received.set(number, (received.get(number) ?? 0) + line.ReceivedPurchaseQuantity);
  }
  return received;
}
