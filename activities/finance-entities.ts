import * as entities from '../connectors/entities/finance';
import type { FinanceEntity } from '../connectors/entities/finance/entity';

function isEntity(value: unknown): value is FinanceEntity {
  return typeof value === 'object' && value !== null && 'entitySet' in value && 'keys' in value;
}

const ENTITIES = new Map<string, FinanceEntity>(
  (Object.values(entities) as unknown[]).filter(isEntity).map((entity) => [entity.entitySet, entity]),
);

export const hasFinanceEntity = (entitySet: string): boolean => ENTITIES.has(entitySet);

/** The connectors' definition of an F&O entity set that a mapping project names. */
export function financeEntityOf(entitySet: string): FinanceEntity {
  const entity = ENTITIES.get(entitySet);
  if (entity === undefined) throw new Error(`the product has no schema for the F&O entity set ${entitySet}`);
  return entity;
}

/** F&O has no nulls on the wire (unset strings are `""`, numbers 0): a value Field Service left empty is not sent. */
export function financeValues(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== null && value !== undefined),
  );
}

/** A mapped payload's values without its key fields, as F&O takes them in a PATCH. */
export const valuesWithoutKey = (payload: {
  key: Readonly<Record<string, unknown>>;
  values: Readonly<Record<string, unknown>>;
}): Record<string, unknown> =>
  financeValues(
    Object.fromEntries(Object.entries(payload.values).filter(([field]) => !(field in payload.key))),
  );
