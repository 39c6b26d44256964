import { D365Error, eq, type ODataValue } from '../../connectors';
import { freeTextInvoiceHeaders, freeTextInvoiceLines } from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { type DestinationPayload, mapHeaderWithLines } from '../../mappings/engine';
import { businessFailure } from '../business-failure';
import { financeValues } from '../finance-entities';
import type { AgreementInvoiceTasks } from './agreement-invoice-tasks';
import type { AgreementInvoiceSnapshot, FreeTextInvoiceSummary } from './contract';
import { differences } from './posted-differences';

const number = (value: unknown) => (typeof value === 'number' ? value : 0);
const lineAmount = (line: DestinationPayload) =>
  number(line.values.TransactionCurrencyAmount) ||
  number(line.values.Quantity) * number(line.values.UnitPrice);

/** Problems in the invoice a person must fix in Field Service before F&O can take it. */
function checkInvoice(
  invoiceNumber: string,
  header: DestinationPayload,
  lines: readonly DestinationPayload[],
): void {
  const problems: string[] = [];
  if (!header.values.CustomerAccount) problems.push('its customer is not an account with an account number');
  if (!header.values.InvoiceDate) problems.push('it has no invoice date (mandatory in F&O)');
  if (!header.values.CurrencyCode) problems.push('it has no currency');
  for (const line of lines) {
    if (!line.values.MainAccountDisplayValue)
      problems.push(`line ${String(line.key.LineNumber)} has no main account`);
  }
  if (problems.length > 0) {
    throw businessFailure(
      `Invoice ${invoiceNumber} cannot become a free text invoice: ${problems.join('; ')}`,
      'InvalidInvoice',
    );
  }
}

const withoutKey = (payload: DestinationPayload) =>
  financeValues(
    Object.fromEntries(Object.entries(payload.values).filter(([field]) => !(field in payload.key))),
  );

/** The free text invoice the mapping project makes of a Field Service invoice now: header, lines, totals. */
export interface MappedFreeTextInvoice {
  header: DestinationPayload;
  /** One per line number. */
  lines: DestinationPayload[];
  summary: FreeTextInvoiceSummary;
}

/**
 * Maps an invoice as the project's agreement invoice tasks say; refuses (a business failure) an invoice
 * that does not sync or that F&O could not take, with what a person must fix in Field Service.
 */
export function mapFreeTextInvoice(
  tasks: AgreementInvoiceTasks,
  snapshot: AgreementInvoiceSnapshot,
  legalEntity: string,
): MappedFreeTextInvoice {
  const lineTasks = [...tasks.lines.values()].flat();
  const mapping = mapHeaderWithLines({ tasks: [tasks.header, ...lineTasks] }, tasks.header, snapshot.records);
  if (!mapping.synced)
    throw businessFailure(`Invoice ${snapshot.invoiceNumber} does not sync: ${mapping.reason}`);
  const lines = [...new Map(mapping.lines.map((line) => [JSON.stringify(line.key), line])).values()];
  const { header } = mapping;
  checkInvoice(snapshot.invoiceNumber, header, lines);
  return {
    header,
    lines,
    summary: {
      externalInvoiceId: String(header.key.ExternalInvoiceId),
      legalEntity,
      customerAccount: String(header.values.CustomerAccount),
      currency: String(header.values.CurrencyCode),
      invoiceDate: String(header.values.InvoiceDate),
      totalAmount: Math.round(lines.reduce((sum, line) => sum + lineAmount(line), 0) * 100) / 100,
      lineCount: lines.length,
    },
  };
}

/**
 * Creates or updates the free text invoice of a Field Service invoice: one read of the header (and
 * of its lines when it exists), then one change set with the header, every line, and the removal of
 * lines Field Service no longer has, so a crash or retry never leaves half an invoice or a second one.
 * A posted invoice cannot change: when Field Service differs from it, that is a business failure.
 */
export async function upsertFreeTextInvoice(
  finance: FinanceClient,
  tasks: AgreementInvoiceTasks,
  snapshot: AgreementInvoiceSnapshot,
): Promise<FreeTextInvoiceSummary> {
  const { header, lines, summary } = mapFreeTextInvoice(tasks, snapshot, finance.company);
  const { externalInvoiceId } = summary;
  const headerKey = { ExternalInvoiceId: externalInvoiceId };
  let existing: Record<string, unknown> | undefined;
  try {
    existing = await finance.retrieve(freeTextInvoiceHeaders, headerKey);
  } catch (error) {
    if (!(error instanceof D365Error && error.kind === 'not-found')) throw error;
  }
  const existingLines = new Map<number, Record<string, unknown>>();
  if (existing) {
    const filter = eq('ExternalInvoiceId', externalInvoiceId);
    for await (const line of finance.query(freeTextInvoiceLines, { filter })) {
      existingLines.set(Number(line.LineNumber), line);
    }
  }

  if (existing?.IsPosted === 'Yes') {
    const postedAs = String(existing.InvoiceNumber);
    const changes = differences(header, existing, lines, existingLines);
    if (changes.length > 0) {
      throw businessFailure(
        `Invoice ${snapshot.invoiceNumber} changed in Field Service after F&O posted it as ${postedAs}; ` +
          `a posted free text invoice cannot change (${changes.join('; ')}). ` +
          'Undo the change in Field Service or correct it in F&O with a credit note, then retry',
        'PostedInvoiceChanged',
      );
    }
    return { ...summary, postedAs };
  }

  const wanted = new Set(lines.map((line) => Number(line.key.LineNumber)));
  const operations = [
    existing
      ? finance.updateOperation(freeTextInvoiceHeaders, headerKey, withoutKey(header))
      : finance.createOperation(freeTextInvoiceHeaders, financeValues(header.values)),
    ...lines.map((line) =>
      existingLines.has(Number(line.key.LineNumber))
        ? finance.updateOperation(
            freeTextInvoiceLines,
            line.key as Record<'ExternalInvoiceId' | 'LineNumber', ODataValue>,
            withoutKey(line),
          )
        : finance.createOperation(freeTextInvoiceLines, financeValues(line.values)),
    ),
    ...[...existingLines.keys()]
      .filter((lineNumber) => !wanted.has(lineNumber))
      .map((LineNumber) => ({
        method: 'DELETE' as const,
        path: `${finance.recordPath(freeTextInvoiceLines, { ExternalInvoiceId: externalInvoiceId, LineNumber })}?cross-company=true`,
      })),
  ];
  await finance.batch([operations]);
  return summary;
}
