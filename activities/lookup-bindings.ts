import { eq } from '../connectors';
import type { DataverseClient } from '../connectors/dataverse/dataverse-client';
import type { DestinationPayload, LookupBinding, SourceValues } from '../mappings/engine';
import { dataverseTableOf } from './dataverse-tables';
import { ReferenceData } from './reference-data';

/** Lookups that may point at several tables name their navigation property per target. */
const POLYMORPHIC_NAVIGATION: Record<string, Record<string, string>> = {
  customerid: { accounts: 'customerid_account', contacts: 'customerid_contact' },
};

/** Where a binding points: a row's path, nowhere the product models, or a row that does not exist. */
export type BindingTarget =
  { kind: 'row'; id: string; path: string } | { kind: 'unmodelled' } | { kind: 'missing'; message: string };

/**
 * Turns the mapping engine's lookup bindings (a natural key of the row to point at) into Dataverse
 * `@odata.bind` references: reference data from the worker's cache, rows at hand, else one query.
 */
export class LookupBindings {
  readonly #dataverse: DataverseClient;
  readonly #reference: ReferenceData;
  readonly #atHand: Readonly<Record<string, readonly SourceValues[]>>;

  constructor(
    dataverse: DataverseClient,
    reference: ReferenceData,
    atHand: Readonly<Record<string, readonly SourceValues[]>> = {},
  ) {
    this.#dataverse = dataverse;
    this.#reference = reference;
    this.#atHand = atHand;
  }

  async target({ entity, field, value }: LookupBinding): Promise<BindingTarget> {
    let table;
    try {
      table = dataverseTableOf(entity);
    } catch {
      return { kind: 'unmodelled' }; // e.g. price lists: the binding is left out
    }
    const candidates = ReferenceData.has(entity)
      ? [...(await this.#reference.rows(entity)).values()]
      : (this.#atHand[entity] ?? []);
    let row = candidates.find((candidate) => candidate[field] === value);
    if (row === undefined) {
      for await (const found of this.#dataverse.query(table, {
        filter: eq(field, value as string),
        select: [table.primaryKey],
        top: 1,
      })) {
        row = found;
      }
    }
    if (row === undefined) {
      return {
        kind: 'missing',
        message: `Field Service has no ${entity} row with ${field} = ${JSON.stringify(value)}`,
      };
    }
    const id = String(row[table.primaryKey]);
    return { kind: 'row', id, path: `/${entity}(${id})` };
  }

  /** `<navigation>@odata.bind` for each binding of the payload that points at a row. */
  async bodyOf(
    payload: DestinationPayload,
    targetOf: (binding: LookupBinding) => Promise<BindingTarget> = (binding) => this.target(binding),
  ): Promise<{
    bound: Record<string, string>;
    rows: Record<string, { id: string; navigation: string }>;
    missing: string[];
  }> {
    const bound: Record<string, string> = {};
    const rows: Record<string, { id: string; navigation: string }> = {};
    const missing: string[] = [];
    for (const [target, binding] of Object.entries(payload.bindings)) {
      const found = await targetOf(binding);
      if (found.kind === 'missing') missing.push(found.message);
      if (found.kind !== 'row') continue;
      const navigation = POLYMORPHIC_NAVIGATION[target]?.[binding.entity] ?? target;
      bound[`${navigation}@odata.bind`] = found.path;
      rows[target] = { id: found.id, navigation: `${navigation}@odata.bind` };
    }
    return { bound, rows, missing };
  }
}
