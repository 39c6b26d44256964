import { randomUUID } from 'node:crypto';
import { jsonResponse, parseJson } from '../http/json';
import { header, type SandboxRequest, type SandboxResponse } from '../http/types';
import type { QueryOptions } from '../odata/query-options';
import { etagOf } from './dataverse-data';
import {
  dataverseError,
  duplicateKey,
  invalidPayload,
  keyNotFound,
  recordExists,
  recordNotFound,
  versionMismatch,
} from './errors';
import { applyInventoryRules, refuseInventoryWrite } from './inventory-rules';
import { recalculatePurchaseOrder, refuseReceiptCreatedInFieldService } from './purchasing-rules';
import { contextUrl, responseHeaders, type ReadContext } from './read';
import { newRow } from './new-row';
import { formatRow } from './record-format';
import { refuseRegistrationWrite } from './plugin-steps/registration-rules';
import { readBodyValues } from './record-write';
import type { Row, TableDefinition } from './schema';
import { affectedWorkOrders, resetUsedQuantities, syncWorkOrders } from './work-order-rules';

/** Where a PATCH or DELETE points: an existing row, or the id / alternate key values of one that is absent. */
export interface RecordTarget {
  row?: Row;
  id?: string;
  keyValues?: Map<string, unknown>;
}

/** `POST <set>`: 204 with `OData-EntityId`, or 201 with the record under `return=representation`. */
export function createRecord(
  context: ReadContext,
  table: TableDefinition,
  request: SandboxRequest,
  options: QueryOptions,
): SandboxResponse {
  const body = parseJson(request.body);
  if (body === undefined) return invalidJson(table);
  const values = readBodyValues(table, body, context.data);
  if (!values.ok) return values.response;
  const id = (values.values[table.primaryKey] as string | undefined) ?? randomUUID();
  if (context.data.get(table.entitySet, id))
    return dataverseError(412, '0x80040237', 'Cannot insert duplicate key.');
  const row = {
    ...newRow(table, id, context.data.nextVersion(), context.data.clock.now()),
    ...values.values,
    [table.primaryKey]: id,
  };
  const duplicate = context.data.duplicateOf(table, row);
  if (duplicate) return duplicateKey(table.logicalName, duplicate.key);
  const refused =
    refuseInventoryWrite(context.data, table.entitySet, undefined, row, bypassPlugins(request)) ??
    refuseReceiptCreatedInFieldService(table.entitySet, row) ??
    refuseRegistrationWrite(context.data, table, row);
  if (refused) return refused;
  save(context, table, row, undefined, Object.keys(values.values));
  return writeResponse(context, table, row, options, 'created');
}

/** `PATCH <set>(<key>)`: update, or upsert when no `If-Match` is sent; `If-None-Match: *` makes it create-only. */
export function patchRecord(
  context: ReadContext,
  table: TableDefinition,
  target: RecordTarget,
  request: SandboxRequest,
  options: QueryOptions,
): SandboxResponse {
  const ifMatch = header(request, 'if-match');
  const ifNoneMatch = header(request, 'if-none-match');
  const body = parseJson(request.body);
  if (body === undefined) return invalidJson(table);
  const values = readBodyValues(table, body, context.data);
  if (!values.ok) return values.response;
  delete values.values[table.primaryKey];
  const existing = target.row;
  if (!existing) {
    if (ifMatch)
      return target.id ? recordNotFound(table.logicalName, target.id) : keyNotFound(table.logicalName);
    const id = target.id ?? randomUUID();
    const row = {
      ...newRow(table, id, context.data.nextVersion(), context.data.clock.now()),
      ...keyColumns(table, target.keyValues),
      ...values.values,
    };
    const duplicate = context.data.duplicateOf(table, row);
    if (duplicate) return duplicateKey(table.logicalName, duplicate.key);
    const refused =
      refuseInventoryWrite(context.data, table.entitySet, undefined, row, bypassPlugins(request)) ??
      refuseReceiptCreatedInFieldService(table.entitySet, row) ??
      refuseRegistrationWrite(context.data, table, row);
    if (refused) return refused;
    save(context, table, row, undefined, [
      ...Object.keys(keyColumns(table, target.keyValues)),
      ...Object.keys(values.values),
    ]);
    return writeResponse(context, table, row, options, 'created');
  }
  if (ifNoneMatch === '*') return recordExists();
  if (ifMatch && ifMatch !== '*' && ifMatch !== etagOf(existing)) return versionMismatch();
  for (const column of target.keyValues?.keys() ?? []) delete values.values[column];
  const updated: Row = {
    ...existing,
    ...values.values,
    modifiedon: context.data.clock.now(),
    versionnumber: context.data.nextVersion(),
  };
  resetUsedQuantities(table.entitySet, existing, updated);
  const duplicate = context.data.duplicateOf(table, updated);
  if (duplicate) return duplicateKey(table.logicalName, duplicate.key);
  const refused =
    refuseInventoryWrite(context.data, table.entitySet, existing, updated, bypassPlugins(request)) ??
    refuseRegistrationWrite(context.data, table, updated);
  if (refused) return refused;
  save(context, table, updated, existing, Object.keys(values.values));
  return writeResponse(context, table, updated, options, 'updated');
}

/** `DELETE <set>(<key>)`, honouring `If-Match`. */
export function deleteRecord(
  context: ReadContext,
  table: TableDefinition,
  row: Row,
  request: SandboxRequest,
): SandboxResponse {
  const ifMatch = header(request, 'if-match');
  if (ifMatch && ifMatch !== '*' && ifMatch !== etagOf(row)) return versionMismatch();
  const refused =
    refuseInventoryWrite(context.data, table.entitySet, row, undefined, bypassPlugins(request)) ??
    refuseRegistrationWrite(context.data, table, undefined);
  if (refused) return refused;
  const workOrders = affectedWorkOrders(context.data, table.entitySet, [row]);
  context.data.delete(table, String(row[table.primaryKey]));
  syncWorkOrders(context.data, workOrders);
  recalculatePurchaseOrder(context.data, table.entitySet, row);
  return { status: 204, headers: { 'OData-Version': '4.0' } };
}

function invalidJson(table: TableDefinition): SandboxResponse {
  return invalidPayload(table.logicalName, 'Invalid JSON. A token was not recognized in the JSON content.');
}

/** Alternate key values from the URL become column values of an upserted row (`_x_value` names a lookup). */
function keyColumns(table: TableDefinition, keyValues: Map<string, unknown> | undefined): Row {
  const row: Row = {};
  for (const [name, value] of keyValues ?? []) {
    const lookup = /^_(.+)_value$/.exec(name);
    row[lookup ? lookup[1] : name] = value;
  }
  return row;
}

function save(
  context: ReadContext,
  table: TableDefinition,
  row: Row,
  previous: Row | undefined,
  requested: string[],
): void {
  context.data.put(table, row, requested);
  syncWorkOrders(context.data, affectedWorkOrders(context.data, table.entitySet, [row, previous]));
  applyInventoryRules(context.data, table.entitySet, row, previous);
  recalculatePurchaseOrder(context.data, table.entitySet, row);
}

/** Dataverse's header for callers allowed to skip custom plug-ins (the integration solution's rules). */
function bypassPlugins(request: SandboxRequest): boolean {
  return header(request, 'mscrm.bypasscustompluginexecution')?.toLowerCase() === 'true';
}

function writeResponse(
  context: ReadContext,
  table: TableDefinition,
  row: Row,
  options: QueryOptions,
  outcome: 'created' | 'updated',
): SandboxResponse {
  const id = String(row[table.primaryKey]);
  const entityId = `${context.serviceRoot}${table.entitySet}(${id})`;
  if (!context.preferences.returnRepresentation) {
    return { status: 204, headers: { 'OData-Version': '4.0', 'OData-EntityId': entityId } };
  }
  const stored = context.data.get(table.entitySet, id) ?? row;
  const body = {
    '@odata.context': `${contextUrl(context, table, options.select)}/$entity`,
    ...formatRow(table, stored, options.select, context.preferences, context.data),
  };
  const headers = responseHeaders(context);
  headers['Preference-Applied'] = [headers['Preference-Applied'], 'return=representation']
    .filter(Boolean)
    .join(',');
  return jsonResponse(outcome === 'created' ? 201 : 200, body, {
    ...headers,
    ETag: etagOf(stored),
    Location: entityId,
  });
}
