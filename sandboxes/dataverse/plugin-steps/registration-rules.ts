import type { SandboxResponse } from '../../http/types';
import type { DataverseData } from '../dataverse-data';
import { dataverseError } from '../errors';
import type { Row, TableDefinition } from '../schema';
import { ASYNCHRONOUS, ImageType, POST_OPERATION, SYNCHRONOUS } from './registration-tables';

const invalidArgument = (message: string) => dataverseError(400, '0x80040203', message);

/** The request property an image of the message's entity is taken from, as the registration tool sets it. */
const imageProperty: Record<string, string> = { Create: 'Id', Update: 'Target' };

/**
 * Refuses what the sandbox cannot honour in the plug-in registration tables: writes to the platform's
 * messages and filters, steps outside the post-operation stage (which Dataverse requires of an
 * asynchronous step; the sandbox runs synchronous ones there too), and images Dataverse refuses.
 * `row` is undefined on a delete.
 */
export function refuseRegistrationWrite(
  data: DataverseData,
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
  if (!row) return undefined;
  if (table.entitySet === 'sdkmessageprocessingstepimages') return refuseImage(data, row);
  if (table.entitySet !== 'sdkmessageprocessingsteps') return undefined;
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

/**
 * An image needs its step, a type and an alias, and the message property that carries the entity; a pre
 * image only of a row that existed (not on Create). A post image is available after the operation: every
 * step is post-operation here (see above).
 */
function refuseImage(data: DataverseData, image: Row): SandboxResponse | undefined {
  const step =
    typeof image.sdkmessageprocessingstepid === 'string'
      ? data.get('sdkmessageprocessingsteps', image.sdkmessageprocessingstepid)
      : undefined;
  if (!step) return invalidArgument('An image needs its step: set sdkmessageprocessingstepid.');
  if (typeof image.imagetype !== 'number')
    return invalidArgument('An image needs an imagetype: 0 PreImage, 1 PostImage or 2 Both.');
  if (typeof image.entityalias !== 'string' || image.entityalias.trim() === '')
    return invalidArgument('An image needs an entityalias, the key a step reads it by.');
  const message =
    typeof step.sdkmessageid === 'string' ? data.get('sdkmessages', step.sdkmessageid)?.name : undefined;
  const property = imageProperty[String(message)];
  if (property === undefined)
    return invalidArgument(`The ${String(message)} message does not support entity images.`);
  if (image.messagepropertyname !== property) {
    return invalidArgument(
      `The messagepropertyname of an image on a ${String(message)} step must be ${property}.`,
    );
  }
  if (message === 'Create' && image.imagetype !== ImageType.PostImage)
    return invalidArgument('A PreImage is not available on the Create message: the row did not exist.');
  return undefined;
}
