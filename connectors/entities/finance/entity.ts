import type { z } from 'zod';

/** An F&O data entity: public collection name, key fields (besides `dataAreaId`) and record schema. */
export interface FinanceEntity<Schema extends z.ZodObject = z.ZodObject, Key extends string = string> {
  entitySet: string;
  keys: readonly Key[];
  schema: Schema;
}

export function financeEntity<Schema extends z.ZodObject, Key extends string>(
  entitySet: string,
  keys: readonly Key[],
  schema: Schema,
): FinanceEntity<Schema, Key> {
  return { entitySet, keys, schema };
}
