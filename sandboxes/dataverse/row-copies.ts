import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { copyListSchema, keyText, replaced } from '../platform/copies';
import type { DataverseData } from './dataverse-data';
import type { SimulationResult } from './field-work';
import type { Row, TableDefinition } from './schema';
import { tablesByEntitySet } from './tables';

interface TreeRow {
  table: TableDefinition;
  row: Row;
}

/** A row and its child rows (the table's collections), depth first. */
function treeOf(data: DataverseData, table: TableDefinition, row: Row): TreeRow[] {
  const id = row[table.primaryKey];
  const children = table.collections.flatMap((collection) => {
    const childTable = tablesByEntitySet.get(collection.entitySet);
    if (!childTable) return [];
    return data
      .rows(collection.entitySet)
      .filter((child) => child[collection.lookupAttribute] === id)
      .flatMap((child) => treeOf(data, childTable, child));
  });
  return [{ table, row }, ...children];
}

/** `POST /_sandbox/tables/<entity set>/<id>/copies`: the copies, and when they were written (default now). */
export const rowCopiesBodySchema = z
  .object({ copies: copyListSchema, modifiedOn: z.iso.datetime({ offset: true }).optional() })
  .strict();
export type RowCopiesBody = z.infer<typeof rowCopiesBodySchema>;

/**
 * Copies a row and its child rows (a work order and its lines, an invoice and its details) once per
 * entry of `body.copies`, as they are stored, rules and plug-ins aside: new ids (lookups between the
 * copied rows follow them), the texts replaced in every string column, the given change time and new
 * versions. Refuses, writing nothing, when a copy would repeat an alternate key.
 */
export function copyRows(
  data: DataverseData,
  entitySet: string,
  id: string,
  body: RowCopiesBody,
): SimulationResult {
  const table = tablesByEntitySet.get(entitySet);
  if (!table) return { ok: false, status: 404, message: `No table ${entitySet}.` };
  const template = data.get(entitySet, id);
  if (!template) return { ok: false, status: 404, message: `No ${entitySet} row ${id}.` };
  const tree = treeOf(data, table, template);
  const stamp = new Date(body.modifiedOn ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');

  const taken = new Map<string, Set<string>>();
  const copies: TreeRow[] = [];
  for (const { replace } of body.copies) {
    const ids = new Map(tree.map(({ table: of, row }) => [row[of.primaryKey], randomUUID()]));
    for (const { table: of, row } of tree) {
      const copy: Row = {};
      for (const [name, value] of Object.entries(row))
        copy[name] = ids.get(value) ?? replaced(value, replace);
      Object.assign(copy, { createdon: stamp, modifiedon: stamp, versionnumber: data.nextVersion() });
      for (const key of of.alternateKeys) {
        const setKey = `${of.entitySet}/${key.join(',')}`;
        let keys = taken.get(setKey);
        if (!keys) {
          keys = new Set(data.rows(of.entitySet).map((existing) => keyText(existing, key)));
          taken.set(setKey, keys);
        }
        const value = keyText(copy, key);
        if (keys.has(value))
          return {
            ok: false,
            status: 409,
            message: `A copy would repeat ${of.entitySet} key ${key.join(', ')} ${value}.`,
          };
        keys.add(value);
      }
      copies.push({ table: of, row: copy });
    }
  }
  for (const { table: of, row } of copies) data.put(of, row);
  return { ok: true, body: { created: copies.length } };
}
