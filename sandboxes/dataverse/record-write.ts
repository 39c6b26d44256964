import type { SandboxResponse } from '../http/types';
import { toSecond } from './clock';
import { parseKeySegment } from '../odata/key-segment';
import type { DataverseData } from './dataverse-data';
import { dataverseError, invalidPayload, keyNotFound, recordNotFound, unknownProperty } from './errors';
import { edmTypes, type ColumnDefinition, type Row, type TableDefinition } from './schema';
import { tablesByEntitySet } from './tables';

export type BodyValues = { ok: true; values: Row } | { ok: false; response: SandboxResponse };

/**
 * Turns a create/update body into column values: checks names and types, resolves `@odata.bind`
 * references, skips columns the platform maintains.
 */
export function readBodyValues(table: TableDefinition, body: unknown, data: DataverseData): BodyValues {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(invalidPayload(table.logicalName, 'Cannot read the request body as a JSON object.'));
  }
  const values: Row = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const bind = /^(.+)@odata\.bind$/.exec(name);
    if (bind) {
      const lookup = table.lookups.find((candidate) => candidate.navigation === bind[1]);
      if (!lookup) return fail(unknownProperty(table.logicalName, bind[1]));
      const resolved = resolveBind(value, lookup.target, data);
      if (!resolved.ok) return resolved;
      values[lookup.attribute] = resolved.id;
      continue;
    }
    if (name.includes('@')) continue;
    const column = table.columns[name];
    if (!column) return fail(unknownProperty(table.logicalName, name));
    if (column.readOnly) continue;
    const problem = checkValue(table, name, column, value);
    if (problem) return fail(problem);
    values[name] = normalize(column, value);
  }
  return { ok: true, values };
}

/** GUIDs in lower case; date-times in UTC to the second, as Dataverse returns them. */
function normalize(column: ColumnDefinition, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (column.type === 'guid') return value.toLowerCase();
  if (column.type === 'datetime') return toSecond(Date.parse(value));
  return value;
}

function fail(response: SandboxResponse): BodyValues {
  return { ok: false, response };
}

function checkValue(
  table: TableDefinition,
  name: string,
  column: ColumnDefinition,
  value: unknown,
): SandboxResponse | undefined {
  if (value === null) return undefined;
  const wrongType = () =>
    invalidPayload(
      table.logicalName,
      `Cannot convert the literal '${typeof value === 'object' ? JSON.stringify(value) : String(value)}' to the expected type '${edmTypes[column.type]}'.`,
    );
  switch (column.type) {
    case 'string':
      return typeof value === 'string' ? undefined : wrongType();
    case 'integer':
      return Number.isInteger(value) ? undefined : wrongType();
    case 'decimal':
    case 'money':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : wrongType();
    case 'boolean':
      return typeof value === 'boolean' ? undefined : wrongType();
    case 'datetime':
      return typeof value === 'string' &&
        /^\d{4}-\d{2}-\d{2}T/.test(value) &&
        !Number.isNaN(Date.parse(value))
        ? undefined
        : wrongType();
    case 'dateonly':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? undefined : wrongType();
    case 'guid':
      return typeof value === 'string' && /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(value)
        ? undefined
        : wrongType();
    case 'choice': {
      if (!Number.isInteger(value)) return wrongType();
      const accepted = Object.keys(column.options ?? {});
      if (accepted.includes(String(value))) return undefined;
      return dataverseError(
        400,
        '0x8004431a',
        `A validation error occurred. The value ${String(value)} of '${name}' on record of type '${table.logicalName}' is outside the valid range. Accepted Values: ${accepted.join(',')}`,
      );
    }
  }
}

/** Resolves `/accounts(<guid>)`, `accounts(accountnumber='A1')` or an absolute URL to a row id. */
function resolveBind(
  value: unknown,
  targetSet: string,
  data: DataverseData,
): { ok: true; id: string | null } | { ok: false; response: SandboxResponse } {
  const target = tablesByEntitySet.get(targetSet);
  if (value === null) return { ok: true, id: null };
  const match = typeof value === 'string' ? /(?:^|\/)([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$/.exec(value) : null;
  if (!target || !match || match[1] !== targetSet) {
    return {
      ok: false,
      response: dataverseError(
        400,
        '0x80060888',
        `The URI '${String(value)}' is not a valid reference to the entity set '${targetSet}'.`,
      ),
    };
  }
  const key = parseKeySegment(match[2]);
  if (key?.kind === 'single') {
    const row = data.get(targetSet, String(key.value));
    return row
      ? { ok: true, id: String(row[target.primaryKey]) }
      : { ok: false, response: recordNotFound(target.logicalName, String(key.value)) };
  }
  if (key?.kind === 'named') {
    const row = data.findByKey(target, key.values);
    return row
      ? { ok: true, id: String(row[target.primaryKey]) }
      : { ok: false, response: keyNotFound(target.logicalName) };
  }
  return {
    ok: false,
    response: dataverseError(400, '0x80060888', `The key in '${String(value)}' is not valid.`),
  };
}
