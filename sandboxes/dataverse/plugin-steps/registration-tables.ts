import { createHash } from 'node:crypto';
import { defineTable, type Row, type TableDefinition } from '../schema';

const choice = (options: Record<number, string>) => ({ type: 'choice' as const, options });

/** `serviceendpoint.contract`: where Dataverse sends the execution context. */
const contract = {
  1: 'OneWay',
  2: 'Queue',
  3: 'Rest',
  4: 'TwoWay',
  5: 'Topic',
  6: 'Queue (Persistent)',
  7: 'Event Hub',
  8: 'Webhook',
  9: 'Event Grid',
};
export const WEBHOOK_CONTRACT = 8;

/** `serviceendpoint.authtype`; a webhook uses 4, 5 or 6. */
const authType = {
  1: 'ACS',
  2: 'SAS Key',
  3: 'SAS Token',
  4: 'Webhook Key',
  5: 'Http Header',
  6: 'Http Query String',
  7: 'Connection String',
  8: 'Access Key',
};
export const AuthType = { WebhookKey: 4, HttpHeader: 5, HttpQueryString: 6 } as const;

/** `sdkmessageprocessingstep.stage` and `.mode`. */
const stage = { 10: 'Pre-validation', 20: 'Pre-operation', 40: 'Post-operation' };
export const POST_OPERATION = 40;
const stepMode = { 0: 'Synchronous', 1: 'Asynchronous' };
export const SYNCHRONOUS = 0;
export const ASYNCHRONOUS = 1;
const stepStateCodes = { 0: 'Enabled', 1: 'Disabled' };

/** `sdkmessageprocessingstepimage.imagetype`: the row before the operation, after it, or both. */
const imageType = { 0: 'PreImage', 1: 'PostImage', 2: 'Both' };
export const ImageType = { PreImage: 0, PostImage: 1, Both: 2 } as const;
const stepStatusCodes = { 1: 'Enabled', 2: 'Disabled' };

/** The messages the sandbox raises events for; `Delete` is registrable but never delivered. */
const sdkMessageNames = ['Create', 'Update', 'Delete'] as const;

/** A stable GUID for a platform row, the same in every environment of the sandbox. */
function systemId(name: string): string {
  const hex = createHash('sha1').update(`fsfo-sandbox-system:${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const systemRow = (primaryKey: string, id: string, values: Row): Row => ({
  [primaryKey]: id,
  statecode: 0,
  statuscode: 1,
  createdon: '2026-01-01T00:00:00Z',
  modifiedon: '2026-01-01T00:00:00Z',
  versionnumber: 1,
  ...values,
});

/**
 * The plug-in registration tables: the platform's messages and message filters (one per message and
 * business table), and the service endpoints, processing steps and their entity images an administrator
 * or the product registers (a step's images are deleted with it).
 */
export function registrationTables(businessTables: readonly TableDefinition[]): TableDefinition[] {
  const messageId = (name: string) => systemId(`sdkmessage:${name}`);
  const messages = sdkMessageNames.map((name) => systemRow('sdkmessageid', messageId(name), { name }));
  const filters = sdkMessageNames.flatMap((message) =>
    businessTables.map((table) =>
      systemRow('sdkmessagefilterid', systemId(`sdkmessagefilter:${message}:${table.logicalName}`), {
        primaryobjecttypecode: table.logicalName,
        secondaryobjecttypecode: 'none',
        iscustomprocessingstepallowed: true,
        sdkmessageid: messageId(message),
      }),
    ),
  );
  return [
    defineTable({
      entitySet: 'sdkmessages',
      logicalName: 'sdkmessage',
      primaryName: 'name',
      columns: { name: 'string' },
      systemRows: messages,
    }),
    defineTable({
      entitySet: 'sdkmessagefilters',
      logicalName: 'sdkmessagefilter',
      primaryName: 'primaryobjecttypecode',
      columns: {
        primaryobjecttypecode: 'string',
        secondaryobjecttypecode: 'string',
        iscustomprocessingstepallowed: 'boolean',
      },
      lookups: { sdkmessageid: 'sdkmessages' },
      systemRows: filters,
    }),
    defineTable({
      entitySet: 'serviceendpoints',
      logicalName: 'serviceendpoint',
      primaryName: 'name',
      columns: {
        name: 'string',
        description: 'string',
        contract: choice(contract),
        url: 'string',
        authtype: choice(authType),
        authvalue: { type: 'string', writeOnly: true },
        messageformat: choice({ 1: 'BinaryXML', 2: 'Json', 3: 'TextXML' }),
        namespaceaddress: 'string',
        userclaim: choice({ 1: 'None', 2: 'UserId', 3: 'UserInfo' }),
      },
    }),
    defineTable({
      entitySet: 'sdkmessageprocessingsteps',
      logicalName: 'sdkmessageprocessingstep',
      primaryName: 'name',
      columns: {
        name: 'string',
        description: 'string',
        stage: choice(stage),
        mode: choice(stepMode),
        rank: 'integer',
        filteringattributes: 'string',
        supporteddeployment: choice({
          0: 'Server Only',
          1: 'Microsoft Dynamics 365 Client for Outlook Only',
          2: 'Both',
        }),
        asyncautodelete: 'boolean',
        statecode: choice(stepStateCodes),
        statuscode: choice(stepStatusCodes),
      },
      lookups: {
        eventhandler: { navigation: 'eventhandler_serviceendpoint', target: 'serviceendpoints' },
        sdkmessageid: 'sdkmessages',
        sdkmessagefilterid: 'sdkmessagefilters',
      },
      collections: [
        {
          name: 'sdkmessageprocessingstepid_sdkmessageprocessingstepimage',
          entitySet: 'sdkmessageprocessingstepimages',
          lookupAttribute: 'sdkmessageprocessingstepid',
        },
      ],
    }),
    defineTable({
      entitySet: 'sdkmessageprocessingstepimages',
      logicalName: 'sdkmessageprocessingstepimage',
      primaryName: 'name',
      columns: {
        name: 'string',
        description: 'string',
        entityalias: 'string',
        imagetype: choice(imageType),
        /** Comma-separated column logical names; empty or null: every column. */
        attributes: 'string',
        messagepropertyname: 'string',
      },
      lookups: { sdkmessageprocessingstepid: 'sdkmessageprocessingsteps' },
    }),
  ];
}
