import { AsyncLocalStorage } from 'node:async_hooks';
import { applicationUserId } from './identity';
import { defineTable, type Row, type TableDefinition } from './schema';

const seeded = (id: string, fullname: string, domainname: string | null, objectId: string | null): Row => ({
  systemuserid: id,
  fullname,
  domainname,
  internalemailaddress: domainname,
  azureactivedirectoryobjectid: objectId,
  isdisabled: false,
  statecode: 0,
  statuscode: 1,
  createdon: '2026-01-01T00:00:00Z',
  modifiedon: '2026-01-01T00:00:00Z',
  versionnumber: 1,
});

/** The environment's users: the application user every caller acts as unless it impersonates, and two people. */
export const sandboxUsers = {
  application: seeded(applicationUserId, '# fsfo integration', null, '00000000-0000-4000-8000-0000000a00e1'),
  serviceManager: seeded(
    '00000000-0000-4000-8000-0000005e0001',
    'Dana Manager',
    'dana@contoso.com',
    '00000000-0000-4000-8000-0000005e00e1',
  ),
  technician: seeded(
    '00000000-0000-4000-8000-0000005e0002',
    'Tom Technician',
    'tom@contoso.com',
    '00000000-0000-4000-8000-0000005e00e2',
  ),
};

/** `systemuser`: read-only here; an administrator adds users in the admin center, not through the Web API. */
export const userTables: TableDefinition[] = [
  defineTable({
    entitySet: 'systemusers',
    logicalName: 'systemuser',
    primaryName: 'fullname',
    alternateKeys: [['domainname'], ['azureactivedirectoryobjectid']],
    columns: {
      fullname: 'string',
      domainname: 'string',
      internalemailaddress: 'string',
      azureactivedirectoryobjectid: 'guid',
      isdisabled: 'boolean',
    },
    systemRows: Object.values(sandboxUsers),
  }),
];

const actingUsers = new AsyncLocalStorage<Row>();

/** The user the request being handled acts as: the impersonated user, else the application user. */
export function actingUser(): Row {
  return actingUsers.getStore() ?? sandboxUsers.application;
}

export function actingAs<T>(user: Row, run: () => T): T {
  return actingUsers.run(user, run);
}

const sameGuid = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/**
 * The user a request impersonates: `MSCRMCallerID: <systemuserid>` or `CallerObjectId: <Entra object id>`;
 * undefined without either header, `{ unknown }` naming the header's value when no enabled user has it.
 */
export function impersonatedUser(
  callerId: string | undefined,
  callerObjectId: string | undefined,
): Row | { unknown: string } | undefined {
  const users = Object.values(sandboxUsers);
  if (callerId !== undefined) {
    const user = users.find((candidate) => sameGuid(candidate.systemuserid, callerId.trim()));
    return user && !user.isdisabled ? user : { unknown: `systemuser With Id = ${callerId} Does Not Exist` };
  }
  if (callerObjectId !== undefined) {
    const user = users.find((candidate) =>
      sameGuid(candidate.azureactivedirectoryobjectid, callerObjectId.trim()),
    );
    return user && !user.isdisabled
      ? user
      : { unknown: `systemuser With AzureActiveDirectoryObjectId = ${callerObjectId} Does Not Exist` };
  }
  return undefined;
}
