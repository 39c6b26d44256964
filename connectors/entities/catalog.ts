import { z } from 'zod';
import * as dataverse from './dataverse';
import * as finance from './finance';

export type ConnectorSystem = 'dataverse' | 'finance';

/** One entity set as the connectors define it: its system, each field's schema, the fields a write must set. */
export interface ConnectorEntityDescription {
  system: ConnectorSystem;
  fields: Readonly<Record<string, z.ZodType>>;
  required: readonly string[];
}

/** By entity set; the mapping project's validation takes it as data (`mappings/` imports no connector). */
export type ConnectorCatalog = ReadonlyMap<string, ConnectorEntityDescription>;

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

function describe(system: ConnectorSystem, entity: ConnectorEntity): ConnectorEntityDescription {
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
export function connectorCatalog(): ConnectorCatalog {
  const catalog = new Map<string, ConnectorEntityDescription>();
  const modules = { dataverse, finance };
  for (const system of Object.keys(modules) as ConnectorSystem[]) {
    for (const value of Object.values(modules[system])) {
      if (isConnectorEntity(value)) catalog.set(value.entitySet, describe(system, value));
    }
  }
  return catalog;
}
