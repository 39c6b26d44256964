import { D365Error, eq, type ODataValue } from '../../connectors';
import { freeTextInvoiceHeaders, freeTextInvoiceLines } from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { type DestinationPayload, mapHeaderWithLines } from '../../mappings/engine';
import { businessFailure } from '../business-failure';
import { financeValues, valuesWithoutKey } from '../finance-entities';
import { type OperationBuilder, type PlannedWrite, plannedWrite } from '../planned-write';
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
  // In line-number order: Field Service returns an invoice's details in no particular order.
  const lines = [...new Map(mapping.lines.map((line) => [JSON.stringify(line.key), line])).values()].sort(
    (a, b) => Number(a.key.LineNumber) - Number(b.key.LineNumber),
  );
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

/** F&O's free text invoice of an external invoice id, with its lines by line number; undefined when F&O has none. */
export interface ExistingFreeTextInvoice {
  header: Record<string, unknown>;
  lines: Map<number, Record<string, unknown>>;
}

/** Reads F&O's free text invoice of the id: the header by key, then its lines (plain GETs). */
export async function readFreeTextInvoice(
  finance: FinanceClient,
  externalInvoiceId: string,
): Promise<ExistingFreeTextInvoice | undefined> {
  let header: Record<string, unknown>;
  try {
    header = await finance.retrieve(freeTextInvoiceHeaders, { ExternalInvoiceId: externalInvoiceId });
  } catch (error) {
    if (error instanceof D365Error && error.kind === 'not-found') return undefined;
    throw error;
  }
  const lines = new Map<number, Record<string, unknown>>();
  const filter = eq('ExternalInvoiceId', externalInvoiceId);
  for await (const line of finance.query(freeTextInvoiceLines, { filter })) {
    lines.set(Number(line.LineNumber), line);
  }
  return { header, lines };
}

/**
 * The writes that make F&O's free text invoice the mapped one, for one change set: the header, every line,
 * and the removal of lines Field Service no longer has. A posted invoice cannot change: none when it
 * holds what Field Service does, otherwise a business failure naming the differences.
 */
export function freeTextInvoiceWrites(
  finance: OperationBuilder,
  invoiceNumber: string,
  mapped: MappedFreeTextInvoice,
  existing: ExistingFreeTextInvoice | undefined,
): PlannedWrite[] {
  const { header, lines, summary } = mapped;
  const { externalInvoiceId } = summary;
  const existingLines = existing?.lines ?? new Map<number, Record<string, unknown>>();
  if (existing?.header.IsPosted === 'Yes') {
    const postedAs = String(existing.header.InvoiceNumber);
    const changes = differences(header, existing.header, lines, existingLines);
    if (changes.length > 0) {
      throw businessFailure(
        `Invoice ${invoiceNumber} changed in Field Service after F&O posted it as ${postedAs}; ` +
          `a posted free text invoice cannot change (${changes.join('; ')}). ` +
          'Undo the change in Field Service or correct it in F&O with a credit note, then retry',
        'PostedInvoiceChanged',
      );
    }
    return [];
  }
  const headerKey = { ExternalInvoiceId: externalInvoiceId };
  const wanted = new Set(lines.map((line) => Number(line.key.LineNumber)));
  return [
    plannedWrite(
      existing
        ? finance.updateOperation(freeTextInvoiceHeaders, headerKey, valuesWithoutKey(header))
        : finance.createOperation(freeTextInvoiceHeaders, financeValues(header.values)),
      freeTextInvoiceHeaders.entitySet,
      headerKey,
    ),
    ...lines.map((line) =>
      plannedWrite(
        existingLines.has(Number(line.key.LineNumber))
          ? finance.updateOperation(
              freeTextInvoiceLines,
              line.key as Record<'ExternalInvoiceId' | 'LineNumber', ODataValue>,
              valuesWithoutKey(line),
            )
          : finance.createOperation(freeTextInvoiceLines, financeValues(line.values)),
        freeTextInvoiceLines.entitySet,
        line.key,
      ),
    ),
    ...[...existingLines.keys()]
      .filter((lineNumber) => !wanted.has(lineNumber))
      .map((LineNumber) => {
        const key = { ExternalInvoiceId: externalInvoiceId, LineNumber };
        return plannedWrite(
          finance.deleteOperation(freeTextInvoiceLines, key),
          freeTextInvoiceLines.entitySet,
          key,
        );
      }),
  ];
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
  const mapped = mapFreeTextInvoice(tasks, snapshot, finance.company);
  const existing = await readFreeTextInvoice(finance, mapped.summary.externalInvoiceId);
  const writes = freeTextInvoiceWrites(finance, snapshot.invoiceNumber, mapped, existing);
  if (existing?.header.IsPosted === 'Yes') {
    return { ...mapped.summary, postedAs: String(existing.header.InvoiceNumber) };
  }
  await finance.batch([writes.map((write) => write.operation)]);
  return mapped.summary;
}
