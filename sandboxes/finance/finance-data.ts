import { legalEntityRows } from './companies';
import { storageFields } from './entities';
import { financeEnums } from './enums';
import type { FinanceRow, FinanceState } from './finance-state';
import { defaultValue, type EntityDefinition } from './schema';

/** Header → line tables whose lines go with the header when it is deleted. */
const cascades: { parent: string; child: string; join: string[] }[] = [
  { parent: 'salesOrderHeaders', child: 'salesOrderLines', join: ['dataAreaId', 'SalesOrderNumber'] },
  {
    parent: 'freeTextInvoiceHeaders',
    child: 'freeTextInvoiceLines',
    join: ['dataAreaId', 'ExternalInvoiceId'],
  },
  {
    parent: 'adjustmentJournalHeaders',
    child: 'adjustmentJournalEntries',
    join: ['dataAreaId', 'JournalNumber'],
  },
  {
    parent: 'transferJournalHeaders',
    child: 'transferJournalEntries',
    join: ['dataAreaId', 'JournalNumber'],
  },
  {
    parent: 'purchaseOrderHeaders',
    child: 'purchaseOrderLines',
    join: ['dataAreaId', 'PurchaseOrderNumber'],
  },
];

/** Row access over the F&O state: key lookups, defaults, record versions and number sequences. */
export class FinanceData {
  constructor(
    private readonly state: () => FinanceState,
    private readonly changed: () => void,
  ) {}

  rows(storage: string): FinanceRow[] {
    if (storage === 'legalEntities') return legalEntityRows;
    const tables = this.state().tables;
    tables[storage] ??= [];
    return tables[storage];
  }

  find(entity: EntityDefinition, keys: Record<string, unknown>): FinanceRow | undefined {
    return this.rows(entity.storage).find((row) =>
      entity.keys.every((key) => sameValue(row[key], keys[key])),
    );
  }

  /** Rows of `storage` whose fields equal `match` (strings compared without case, as SQL Server does). */
  where(storage: string, match: Record<string, unknown>): FinanceRow[] {
    return this.rows(storage).filter((row) =>
      Object.entries(match).every(([name, value]) => sameValue(row[name], value)),
    );
  }

  insert(storage: string, values: Record<string, unknown>): FinanceRow {
    const state = this.state();
    const row: FinanceRow = {
      ...storageDefaults(storage),
      ...values,
      RecId: ++state.recIdCounter,
      RecVersion: 1,
    };
    this.rows(storage).push(row);
    this.changed();
    return row;
  }

  update(row: FinanceRow, values: Record<string, unknown>): void {
    Object.assign(row, values);
    row.RecVersion += 1;
    this.changed();
  }

  delete(storage: string, row: FinanceRow): void {
    const rows = this.rows(storage);
    rows.splice(rows.indexOf(row), 1);
    for (const cascade of cascades.filter((candidate) => candidate.parent === storage)) {
      const match = Object.fromEntries(cascade.join.map((field) => [field, row[field]]));
      for (const child of this.where(cascade.child, match)) this.delete(cascade.child, child);
    }
    this.changed();
  }

  /** The next number of a sequence, e.g. `SO-000042`. */
  nextNumber(sequence: string, prefix: string): string {
    const sequences = this.state().numberSequences;
    sequences[sequence] = (sequences[sequence] ?? 0) + 1;
    this.changed();
    return `${prefix}${String(sequences[sequence]).padStart(6, '0')}`;
  }

  nextControlNumber(): number {
    const state = this.state();
    // Business event control numbers increase but are not sequential.
    state.businessEventControlNumber += 1 + Math.floor(Math.random() * 3);
    this.changed();
    return state.businessEventControlNumber;
  }
}

/** Every field of a storage table at its default: `""`, 0, the first enum member, 1900-01-01. */
export function storageDefaults(storage: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(storageFields(storage)).map(([name, type]) => [name, defaultValue(type, financeEnums)]),
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

export function etagOf(row: FinanceRow): string {
  return `W/"${Buffer.from(`'${row.RecVersion},${row.RecId}'`).toString('base64')}"`;
}
