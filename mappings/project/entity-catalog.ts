import { z } from 'zod';
import * as dataverse from '../../connectors/entities/dataverse';
import * as finance from '../../connectors/entities/finance';
import type { CustomField } from './merge';
import type { CustomFieldType } from './schema';

export type EntitySystem = 'dataverse' | 'finance';

/** What validation knows about one entity set: its system, each field's schema, the fields a write must set. */
export interface EntityDescription {
  /** Unknown for entities a project declares only through custom fields. */
  system?: EntitySystem;
  fields: Readonly<Record<string, z.ZodType>>;
  required: readonly string[];
}

export type EntityCatalog = ReadonlyMap<string, EntityDescription>;

interface ConnectorEntity {
  entitySet: string;
  schema: z.ZodObject;
  primaryKey?: string;
}

function isConnectorEntity(value: unknown): value is ConnectorEntity {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ConnectorEntity).entitySet === 'string' &&
    (value as ConnectorEntity).schema instanceof z.ZodObject
  );
}

/** Set by the services, never by a mapping: the row version, the legal entity, the Dataverse row id. */
const serviceFields = (entity: ConnectorEntity) => ['@odata.etag', 'dataAreaId', entity.primaryKey];

function describe(system: EntitySystem, entity: ConnectorEntity): EntityDescription {
  const fields = entity.schema.shape as Record<string, z.ZodType>;
  const ignored = serviceFields(entity);
  return {
    system,
    fields,
    required: Object.entries(fields)
      .filter(([name, schema]) => !ignored.includes(name) && !schema.safeParse(undefined).success)
      .map(([name]) => name),
  };
}

/** Every entity the connectors define a schema for, by entity set. */
export function connectorCatalog(): EntityCatalog {
  const catalog = new Map<string, EntityDescription>();
  const modules = { dataverse, finance };
  for (const system of Object.keys(modules) as EntitySystem[]) {
    for (const value of Object.values(modules[system])) {
      if (isConnectorEntity(value)) catalog.set(value.entitySet, describe(system, value));
    }
  }
  return catalog;
}

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
