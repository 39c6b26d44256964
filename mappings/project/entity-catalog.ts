import { z } from 'zod';
import type { CustomField } from './merge';
import type { CustomFieldType } from './schema';

export type EntitySystem = 'dataverse' | 'finance';

/**
 * What validation knows about one entity set: its system, each field's schema, the fields a write must set.
 * The caller passes the catalog in (the connectors' `connectorCatalog()`): the mappings know no connector.
 */
export interface EntityDescription {
  /** Unknown for entities a project declares only through custom fields. */
  system?: EntitySystem;
  fields: Readonly<Record<string, z.ZodType>>;
  required: readonly string[];
}

export type EntityCatalog = ReadonlyMap<string, EntityDescription>;

const CUSTOM_FIELD_SCHEMAS: Record<CustomFieldType, z.ZodType> = {
  string: z.string().nullable(),
  number: z.number().nullable(),
  integer: z.number().int().nullable(),
  boolean: z.boolean().nullable(),
  date: z.iso.datetime({ offset: true }).or(z.iso.date()).nullable(),
};

/** The catalog plus a project's custom fields; an entity known only by custom fields requires none. */
export function withCustomFields(
  catalog: EntityCatalog,
  customFields: Readonly<Record<string, Readonly<Record<string, CustomField>>>>,
): EntityCatalog {
  const extended = new Map(catalog);
  for (const [entity, fields] of Object.entries(customFields)) {
    const known = extended.get(entity) ?? { fields: {}, required: [] };
    const added = Object.fromEntries(
      Object.entries(fields).map(([name, field]) => [name, CUSTOM_FIELD_SCHEMAS[field.type]]),
    );
    extended.set(entity, { ...known, fields: { ...known.fields, ...added } });
  }
  return extended;
}
