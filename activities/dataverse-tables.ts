import * as entities from '../connectors/entities/dataverse';
import type { DataverseTable } from '../connectors/entities/dataverse';

function isTable(value: unknown): value is DataverseTable {
  return typeof value === 'object' && value !== null && 'entitySet' in value && 'primaryKey' in value;
}

const TABLES = new Map<string, DataverseTable>(
  (Object.values(entities) as unknown[]).filter(isTable).map((table) => [table.entitySet, table]),
);

export const hasDataverseTable = (entitySet: string): boolean => TABLES.has(entitySet);

/** The connectors' definition of a Dataverse entity set that a mapping project names. */
export function dataverseTableOf(entitySet: string): DataverseTable {
  const table = TABLES.get(entitySet);
  if (table === undefined)
    throw new Error(`the product has no schema for the Dataverse entity set ${entitySet}`);
  return table;
}

export const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];
