import { jsonResponse, parseJson } from '../http/json';
import { header, type SandboxRequest, type SandboxResponse } from '../http/types';
import { validateWrite } from './business-rules';
import { financeCompanies } from './companies';
import { invalidPayload, methodNotAllowed, preconditionFailed, writeFailed } from './errors';
import { coerceField } from './field-values';
import { deriveFields } from './derived-fields';
import { etagOf, storageDefaults } from './finance-data';
import { refreshReservations } from './inventory';
import type { FinanceRow } from './finance-state';
import { typeName } from './query-schema';
import { formatRecord, type FinanceContext } from './read';
import type { EntityDefinition } from './schema';

type Values = { ok: true; values: Record<string, unknown> } | { ok: false; response: SandboxResponse };

/** `POST /data/<Entity>`: 201 with the record (204 with `return=minimal`); `dataAreaId` defaults to the caller's company. */
export function createEntity(
  context: FinanceContext,
  entity: EntityDefinition,
  request: SandboxRequest,
): SandboxResponse {
  if (entity.readOnly) return methodNotAllowed('POST', entity.name);
  const body = readValues(entity, request);
  if (!body.ok) return body.response;
  const values = body.values;
  values.dataAreaId = String(values.dataAreaId ?? context.defaultCompany).toLowerCase();
  if (!(financeCompanies as readonly string[]).includes(String(values.dataAreaId))) {
    return writeFailed(entity.tableType, `Company ${String(values.dataAreaId)} does not exist.`);
  }
  const sequence = entity.numberSequence;
  if (sequence && !values[sequence.field]) {
    values[sequence.field] = context.data.nextNumber(
      `${entity.storage}:${String(values.dataAreaId)}`,
      sequence.prefix,
    );
  }
  // The key field after dataAreaId identifies the record; the others (e.g. inventory dimensions) may be blank.
  const missingKey = entity.keys.slice(1, 2).find((key) => entity.fields[key] === 'string' && !values[key]);
  if (missingKey) return writeFailed(entity.tableType, `Field '${missingKey}' must be filled in.`);
  if (context.data.find(entity, values)) {
    return writeFailed(
      entity.tableType,
      `Cannot create a record in ${entity.typeName} (${entity.tableType}). The record already exists.`,
    );
  }
  const candidate = { ...storageDefaults(entity.storage), ...values };
  const problem = validateWrite(context.data, entity, 'create', candidate, undefined);
  if (problem) return writeFailed(entity.tableType, problem);
  const row = context.data.insert(entity.storage, {
    ...values,
    ...deriveFields(entity.storage, 'create', candidate, context.data),
  });
  if (entity.storage === 'salesOrderLines') refreshReservations(context.data, [row]);
  const location = `${context.serviceRoot}${entity.name}(${keyText(entity, row)})`;
  if (context.preferences.returnMinimal) {
    return {
      status: 204,
      headers: { Location: location, 'OData-EntityId': location, 'OData-Version': '4.0', ETag: etagOf(row) },
    };
  }
  const representation = {
    '@odata.context': `${context.serviceRoot}$metadata#${entity.name}/$entity`,
    ...formatRecord(entity, row, undefined),
  };
  return jsonResponse(201, representation, { Location: location, ETag: etagOf(row), 'OData-Version': '4.0' });
}

/** `PATCH /data/<Entity>(<keys>)`: update only (no upsert); `If-Match` is honoured. */
export function updateEntity(
  context: FinanceContext,
  entity: EntityDefinition,
  row: FinanceRow,
  request: SandboxRequest,
): SandboxResponse {
  if (entity.readOnly) return methodNotAllowed(request.method, entity.name);
  const stale = checkIfMatch(request, row);
  if (stale) return stale;
  const body = readValues(entity, request);
  if (!body.ok) return body.response;
  const changedKey = entity.keys.find(
    (key) => key in body.values && String(body.values[key]).toLowerCase() !== String(row[key]).toLowerCase(),
  );
  if (changedKey) return writeFailed(entity.tableType, `The key field '${changedKey}' cannot be changed.`);
  const merged = { ...row, ...body.values };
  const problem = validateWrite(context.data, entity, 'update', merged, row);
  if (problem) return writeFailed(entity.tableType, problem);
  const before = { ...row };
  context.data.update(row, {
    ...body.values,
    ...deriveFields(entity.storage, 'update', merged, context.data),
  });
  if (entity.storage === 'salesOrderLines') refreshReservations(context.data, [before, row]);
  return { status: 204, headers: { 'OData-Version': '4.0', ETag: etagOf(row) } };
}

export function deleteEntity(
  context: FinanceContext,
  entity: EntityDefinition,
  row: FinanceRow,
  request: SandboxRequest,
): SandboxResponse {
  if (entity.readOnly) return methodNotAllowed('DELETE', entity.name);
  const stale = checkIfMatch(request, row);
  if (stale) return stale;
  const problem = validateWrite(context.data, entity, 'delete', row, row);
  if (problem) return writeFailed(entity.tableType, problem);
  context.data.delete(entity.storage, row);
  if (entity.storage === 'salesOrderLines') refreshReservations(context.data, [row]);
  return { status: 204, headers: { 'OData-Version': '4.0' } };
}

function checkIfMatch(request: SandboxRequest, row: FinanceRow): SandboxResponse | undefined {
  const ifMatch = header(request, 'if-match');
  return ifMatch && ifMatch !== '*' && ifMatch !== etagOf(row) ? preconditionFailed() : undefined;
}

function readValues(entity: EntityDefinition, request: SandboxRequest): Values {
  const body = parseJson(request.body);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, response: invalidPayload('The request body is not a valid JSON object.') };
  }
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (name.includes('@')) continue;
    const type = entity.fields[name];
    if (!type) {
      return {
        ok: false,
        response: invalidPayload(
          `The property '${name}' does not exist on type '${typeName(entity)}'. Make sure to only use property names that are defined by the type.`,
        ),
      };
    }
    const coerced = coerceField(name, type, value);
    if (!coerced.ok) return { ok: false, response: invalidPayload(coerced.problem) };
    values[name] = coerced.value;
  }
  return { ok: true, values };
}

/** `dataAreaId='usmf',SalesOrderNumber='SO-1'`: strings quoted, numbers and datetimes bare. */
export function keyText(entity: EntityDefinition, row: Record<string, unknown>): string {
  return entity.keys
    .map((key) => {
      const value = row[key];
      const bare = entity.fields[key] !== 'string';
      return `${key}=${bare ? String(value) : `'${String(value).replace(/'/g, "''")}'`}`;
    })
    .join(',');
}
