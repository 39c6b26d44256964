import { z } from 'zod';
import { copyListSchema, keyText, replaced } from '../platform/copies';
import { entitiesByName } from './entities';
import type { FinanceData } from './finance-data';
import type { FinanceRow } from './finance-state';

/**
 * `POST /_sandbox/companies/<company>/copies`: the rows of the named entities whose fields equal `where`
 * (e.g. a sales order's header, lines, invoice and invoice lines by `SalesOrderNumber`), copied once per
 * entry of `copies`.
 */
export const documentCopiesBodySchema = z
  .object({
    entities: z.array(z.string().min(1)).min(1),
    where: z.record(z.string().min(1), z.union([z.string(), z.number()])),
    copies: copyListSchema,
  })
  .strict();
export type DocumentCopiesBody = z.infer<typeof documentCopiesBodySchema>;

export type CopyResult = { ok: true; created: number } | { ok: false; status: number; message: string };

/**
 * Copies a document's rows in one company as they are stored, business rules aside: new record ids, the
 * texts replaced in every string field. Refuses, writing nothing, when an entity is unknown, nothing
 * matches, or a copy would repeat an entity key.
 */
export function copyDocument(data: FinanceData, company: string, body: DocumentCopiesBody): CopyResult {
  const tables: { storage: string; keys: string[]; rows: FinanceRow[] }[] = [];
  for (const name of body.entities) {
    const entity = entitiesByName.get(name);
    if (!entity || entity.shared)
      return { ok: false, status: 404, message: `No per-company entity ${name}.` };
    if (tables.some((table) => table.storage === entity.storage)) continue;
    const rows = data.where(entity.storage, { ...body.where, dataAreaId: company });
    tables.push({ storage: entity.storage, keys: entity.keys, rows });
  }
  if (tables.every((table) => table.rows.length === 0))
    return {
      ok: false,
      status: 404,
      message: `Nothing in ${company} matches ${JSON.stringify(body.where)}.`,
    };

  const copies: { storage: string; values: Record<string, unknown> }[] = [];
  for (const { storage, keys, rows } of tables) {
    const taken = new Set(data.rows(storage).map((row) => keyText(row, keys)));
    for (const { replace } of body.copies) {
      for (const row of rows) {
        const { RecId: _id, RecVersion: _version, ...fields } = row;
        const values = Object.fromEntries(
          Object.entries(fields).map(([name, value]) => [name, replaced(value, replace)]),
        );
        const key = keyText(values, keys);
        if (taken.has(key))
          return { ok: false, status: 409, message: `A copy would repeat ${storage} key ${key}.` };
        taken.add(key);
        copies.push({ storage, values });
      }
    }
  }
  for (const { storage, values } of copies) data.insert(storage, values);
  return { ok: true, created: copies.length };
}
