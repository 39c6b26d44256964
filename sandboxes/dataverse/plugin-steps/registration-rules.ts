import type { SandboxResponse } from '../../http/types';
import { dataverseError } from '../errors';
import type { Row, TableDefinition } from '../schema';
import { ASYNCHRONOUS, POST_OPERATION } from './registration-tables';

/**
 * Refuses what the sandbox cannot honour in the plug-in registration tables: writes to the platform's
 * messages and filters, and synchronous steps (the sandbox delivers after the commit only). Like
 * Dataverse, an asynchronous step must run in the post-operation stage. `row` is undefined on a delete.
 */
export function refuseRegistrationWrite(
  table: TableDefinition,
  row: Row | undefined,
): SandboxResponse | undefined {
  if (table.systemRows) {
    return dataverseError(
      403,
      '0x80040220',
      `The ${table.logicalName} table is defined by the platform; its rows cannot be created, changed or deleted.`,
    );
  }
  if (table.entitySet !== 'sdkmessageprocessingsteps' || !row) return undefined;
  if (row.mode !== ASYNCHRONOUS) {
    return dataverseError(
      400,
      '0x80040203',
      'The sandbox runs asynchronous steps only: set mode 1 (synchronous steps, mode 0, the default, are not supported).',
    );
  }
  if (row.stage !== POST_OPERATION) {
    return dataverseError(
      400,
      '0x80044183',
      'Asynchronous steps are supported only in the post-operation stage: set stage 40.',
    );
  }
  return undefined;
}
