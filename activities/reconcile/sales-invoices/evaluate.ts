import { driftMaker } from '../document-drift';
import type { Drift } from '../drift';
import {
  describeValueDifferences,
  lineDifferences,
  sidesOfDifferences,
  type ValueDifference,
  valueDifferences,
} from '../value-differences';
import { personFix, repairFix } from '../repairs';
import type { ExpectedInvoice, RecordedInvoice, SalesInvoiceFacts } from './invoice-page';

export const JOIN_NAME = 'sales invoices';

const money = (value: number | undefined) => (value ?? 0).toFixed(2);
const fromFinance = { expected: 'finance' } as const;

/** The amounts the header task gives the invoice (its totals), and every value a line task gives a line. */
function invoiceDifferences(
  expected: ExpectedInvoice,
  recorded: RecordedInvoice,
  numberField: string | undefined,
): { totals: ValueDifference[]; lines: ValueDifference[] } {
  const amounts = Object.keys(expected.header).filter((field) => typeof expected.header[field] === 'number');
  return {
    totals: valueDifferences(expected.header, recorded.values, amounts, fromFinance),
    lines:
      numberField === undefined
        ? []
        : lineDifferences(
            expected.lines,
            recorded.lines,
            (values) => Object.keys(values).filter((field) => field !== numberField),
            fromFinance,
          ),
  };
}

/**
 * Judges an F&O sales invoice against the Field Service invoices of its number: recorded once, with the
 * totals and lines the project's sales invoice tasks make of it. F&O gives a posting no time of day, so
 * an invoice the sync has not reached yet is reported; its fix (a run of the sync) is harmless.
 */
export function evaluateSalesInvoice(facts: SalesInvoiceFacts, numberField: string | undefined): Drift[] {
  const { invoice, recorded, expected } = facts;
  const number = invoice.InvoiceNumber;
  const finance = {
    InvoiceNumber: number,
    InvoiceDate: invoice.InvoiceDate,
    SalesOrderNumber: invoice.SalesOrderNumber,
    TotalInvoiceAmount: invoice.TotalInvoiceAmount,
    CurrencyCode: invoice.CurrencyCode,
  };
  const drift = driftMaker(JOIN_NAME, undefined);

  if (recorded.length === 0) {
    return [
      drift(
        'not recorded',
        'F&O sales invoice',
        number,
        { fieldService: null, finance },
        `F&O posted invoice ${number} (${money(invoice.TotalInvoiceAmount)} ${invoice.CurrencyCode}, sales order ` +
          `${invoice.SalesOrderNumber || 'none'}), but Field Service has no invoice of that number` +
          (facts.mappingProblem ? `; the sales invoice tasks cannot map it: ${facts.mappingProblem}.` : '.'),
        repairFix({ action: 'recordSalesInvoice', invoiceNumber: number }),
      ),
    ];
  }
  if (recorded.length > 1) {
    return [
      drift(
        'duplicated',
        'Field Service invoice',
        number,
        { fieldService: { invoices: recorded.map((row) => row.invoiceid) }, finance },
        `Field Service has ${recorded.length} invoices numbered ${number}; F&O posted one.`,
        personFix(`Delete all but one of the Field Service invoices numbered ${number}.`),
      ),
    ];
  }
  if (!expected) return [];
  const differences = invoiceDifferences(expected, recorded[0]!, numberField);
  const correct = personFix(
    `Correct Field Service invoice ${number} to F&O's values (F&O's posted invoice is the record), or delete ` +
      'it in Field Service and run the command: the sales invoice sync records it again from F&O.',
    `fsfo sales-invoice record ${number}`,
  );
  const drifts: Drift[] = [];
  if (differences.totals.length > 0) {
    drifts.push(
      drift(
        'totals differ',
        'Field Service invoice',
        number,
        sidesOfDifferences(differences.totals),
        `Field Service invoice ${number} differs from F&O's posted invoice: ${describeValueDifferences(differences.totals)}.`,
        correct,
      ),
    );
  }
  if (differences.lines.length > 0) {
    drifts.push(
      drift(
        'lines differ',
        'Field Service invoice',
        number,
        sidesOfDifferences(differences.lines),
        `The lines of Field Service invoice ${number} differ from F&O's posted invoice: ` +
          `${describeValueDifferences(differences.lines)}.`,
        correct,
      ),
    );
  }
  return drifts;
}
