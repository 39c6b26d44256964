import type { z } from 'zod';

/** A Dataverse table as the Web API addresses it: entity set, primary key column and row schema. */
export interface DataverseTable<Schema extends z.ZodObject = z.ZodObject> {
  entitySet: string;
  primaryKey: string;
  schema: Schema;
}

export function dataverseTable<Schema extends z.ZodObject>(
  entitySet: string,
  primaryKey: string,
  schema: Schema,
): DataverseTable<Schema> {
  return { entitySet, primaryKey, schema };
}
