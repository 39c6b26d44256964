import { and, D365Error, enumMember, eq, or } from '../../connectors';
import {
  adjustmentJournalEntries,
  adjustmentJournalHeaders,
  financeWarehouses,
  InventJournalOriginType,
  transferJournalEntries,
  transferJournalHeaders,
} from '../../connectors/entities/finance';
import type { FinanceEntity } from '../../connectors/entities/finance/entity';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { businessFailure } from '../business-failure';
import { financeValues } from '../finance-entities';
import type { InventoryDocumentKind, InventoryDocumentSnapshot, InventoryJournalSummary } from './contract';

/** Both header entities have the same fields: the adjustment header's type serves for both. */
const journals: Record<
  InventoryDocumentKind,
  { header: typeof adjustmentJournalHeaders; lines: FinanceEntity }
> = {
  adjustment: { header: adjustmentJournalHeaders, lines: adjustmentJournalEntries },
  transfer: { header: transferJournalHeaders, lines: transferJournalEntries },
};

/** The fields a journal line is compared on when it exists already. */
const compared = ['LineNumber', 'ItemNumber', 'InventoryQuantity'] as const;

function requireValid(snapshot: InventoryDocumentSnapshot): void {
  if (snapshot.problem) throw businessFailure(snapshot.problem, 'InvalidInventoryDocument');
}

/** The journal the integration made of the document: its description is the document's name. */
export async function ensureInventoryJournal(
  finance: FinanceClient,
  snapshot: InventoryDocumentSnapshot,
): Promise<string> {
  requireValid(snapshot);
  const { header } = journals[snapshot.kind];
  const description = String(snapshot.journal.header.Description ?? snapshot.name);
  const filter = and(
    eq('Description', description),
    eq('JournalOriginType', enumMember(InventJournalOriginType, 'ExternalIntegration')),
  );
  for await (const existing of finance.query(header, { filter, select: ['JournalNumber'] }))
    return existing.JournalNumber;
  const created = await finance.create(
    header,
    financeValues({ ...snapshot.journal.header, JournalNumber: '' }),
  );
  return created.JournalNumber;
}

/**
 * One change set with every line when the journal has none (so a crash or retry never leaves half a
 * journal), nothing when its lines already say what the document says, and a business failure when they
 * differ: a Posted document is read-only, so it was changed afterwards and Field Service's stock moved by
 * other quantities than F&O's journal.
 */
export async function writeInventoryJournalLines(
  finance: FinanceClient,
  snapshot: InventoryDocumentSnapshot,
  journalNumber: string,
): Promise<InventoryJournalSummary> {
  requireValid(snapshot);
  const { header, lines: lineEntity } = journals[snapshot.kind];
  const journal = await finance.retrieve(header, { JournalNumber: journalNumber });
  const existing: Record<string, unknown>[] = [];
  for await (const line of finance.query(lineEntity, { filter: eq('JournalNumber', journalNumber) }))
    existing.push(line);
  const wanted = await completeLines(finance, snapshot, journalNumber);
  const summary = { journalNumber, lineCount: wanted.length, posted: journal.IsPosted === 'Yes' };
  if (existing.length > 0) {
    const changes = differences(wanted, existing);
    if (changes.length > 0) {
      throw businessFailure(
        `${snapshot.kind === 'adjustment' ? 'Adjustment' : 'Transfer'} ${snapshot.name} changed after it was Posted: ` +
          `F&O journal ${journalNumber} says otherwise (${changes.join('; ')}). Field Service moved its stock when it ` +
          'was Posted; undo the change in Field Service, or book the difference with a new adjustment, then retry',
        'PostedDocumentChanged',
      );
    }
    return summary;
  }
  await finance.batch([wanted.map((line) => finance.createOperation(lineEntity, financeValues(line)))]);
  return summary;
}

/** The mapped lines with the journal number and the warehouses (and their sites) F&O knows. */
async function completeLines(
  finance: FinanceClient,
  snapshot: InventoryDocumentSnapshot,
  journalNumber: string,
): Promise<Record<string, unknown>[]> {
  const sites = new Map<string, string>();
  const [first, second] = snapshot.warehouses;
  const filter = or(
    eq('WarehouseId', first!),
    ...snapshot.warehouses.slice(1).map((id) => eq('WarehouseId', id)),
  );
  for await (const warehouse of finance.query(financeWarehouses, { filter }))
    sites.set(warehouse.WarehouseId.toLowerCase(), warehouse.OperationalSiteId ?? '');
  const missing = snapshot.warehouses.filter((id) => !sites.has(id.toLowerCase()));
  if (missing.length > 0) {
    throw businessFailure(
      `${snapshot.name}: warehouse ${missing.join(', ')} does not exist in F&O company ${finance.company}; ` +
        'sync warehouses from F&O or correct the document',
      'UnknownWarehouse',
    );
  }
  const site = (id: string) => sites.get(id.toLowerCase()) ?? '';
  const placed =
    snapshot.kind === 'adjustment'
      ? { InventoryWarehouseId: first, InventorySiteId: site(first!) }
      : {
          SourceWarehouseId: first,
          SourceInventorySiteId: site(first!),
          DestinationWarehouseId: second,
          DestinationInventorySiteId: site(second!),
        };
  return snapshot.journal.lines.map((line) => ({ ...line, ...placed, JournalNumber: journalNumber }));
}

function differences(wanted: Record<string, unknown>[], existing: Record<string, unknown>[]): string[] {
  const byNumber = new Map(existing.map((line) => [Number(line.LineNumber), line]));
  const found: string[] = [];
  for (const line of wanted) {
    const lineNumber = Number(line.LineNumber);
    const current = byNumber.get(lineNumber);
    byNumber.delete(lineNumber);
    if (!current) {
      found.push(`line ${lineNumber} is new in Field Service`);
      continue;
    }
    for (const field of compared) {
      if (String(current[field]) !== String(line[field]))
        found.push(
          `line ${lineNumber} ${field}: ${String(current[field])} in F&O, ${String(line[field])} in Field Service`,
        );
    }
  }
  for (const lineNumber of byNumber.keys()) found.push(`line ${lineNumber} was removed in Field Service`);
  return found;
}

export async function isInventoryJournalPosted(
  finance: FinanceClient,
  kind: InventoryDocumentKind,
  journalNumber: string,
): Promise<boolean> {
  try {
    const journal = await finance.retrieve(
      journals[kind].header,
      { JournalNumber: journalNumber },
      {
        select: ['IsPosted'],
      },
    );
    return journal.IsPosted === 'Yes';
  } catch (error) {
    if (!(error instanceof D365Error && error.kind === 'not-found')) throw error;
    throw businessFailure(
      `F&O journal ${journalNumber} no longer exists in company ${finance.company}, so the document is not ` +
        `booked in F&O: terminate this workflow and start it again ("fsfo inventory ${kind} start") to write a new journal`,
      'NotFound',
    );
  }
}
