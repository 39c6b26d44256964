import { z } from 'zod';
import { text } from './columns';
import { financeEntity } from './entity';

/**
 * `LegalEntities`: the companies of the environment. Shared, not per company, so its records carry no
 * `dataAreaId`; `LegalEntityId` is the company's `dataAreaId`, which F&O shows in upper case.
 */
export const legalEntitySchema = z
  .object({ '@odata.etag': z.string().optional(), LegalEntityId: text, Name: text.optional() })
  .loose();
export type LegalEntity = z.infer<typeof legalEntitySchema>;
export const legalEntities = financeEntity('LegalEntities', ['LegalEntityId'], legalEntitySchema);
