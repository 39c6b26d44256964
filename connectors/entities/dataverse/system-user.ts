import type { z } from 'zod';
import { dataverseRow, guid, text } from './columns';
import { dataverseTable } from './table';

/** `systemuser`: a Dataverse user; `domainname` is their sign-in name (e-mail). */
export const systemUserSchema = dataverseRow({
  systemuserid: guid,
  fullname: text,
  domainname: text,
  azureactivedirectoryobjectid: guid.nullable(),
});
export type SystemUser = z.infer<typeof systemUserSchema>;
export const systemUsers = dataverseTable('systemusers', 'systemuserid', systemUserSchema);
