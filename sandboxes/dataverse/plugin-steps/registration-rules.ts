import type { SandboxResponse } from '../../http/types';
import { dataverseError } from '../errors';
import type { Row, TableDefinition } from '../schema';
import { ASYNCHRONOUS, POST_OPERATION, SYNCHRONOUS } from './registration-tables';

/**
 * Refuses what the sandbox cannot honour in the plug-in registration tables: writes to the platform's
 * messages and filters, and steps outside the post-operation stage (which Dataverse requires of an
 * asynchronous step; the sandbox runs synchronous ones there too). `row` is undefined on a delete.
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
  if (row.mode !== ASYNCHRONOUS && row.mode !== SYNCHRONOUS) {
    return dataverseError(400, '0x80040203', 'A step needs a mode: 0 synchronous or 1 asynchronous.');
  }
  if (row.stage !== POST_OPERATION) {
    return dataverseError(
      400,
      '0x80044183',
      'The sandbox runs webhook steps in the post-operation stage only: set stage 40.',
    );
  }
  return undefined;
}
