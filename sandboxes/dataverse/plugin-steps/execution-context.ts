import { randomUUID } from 'node:crypto';
import { businessUnitId, organizationId, organizationName } from '../identity';
import type { RowChange } from '../dataverse-data';
import type { Row, TableDefinition } from '../schema';
import { tablesByEntitySet } from '../tables';
import { ImageType } from './registration-tables';

const contracts = 'http://schemas.microsoft.com/xrm/2011/Contracts';

/** A column value as the data contract serializer writes it: choices, money and lookups as typed objects. */
function contractValue(table: TableDefinition, name: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const lookup = table.lookups.find((candidate) => candidate.attribute === name);
  if (lookup) {
    return {
      __type: `EntityReference:${contracts}`,
      Id: value,
      KeyAttributes: [],
      LogicalName: tablesByEntitySet.get(lookup.target)?.logicalName ?? lookup.target,
      Name: null,
      RowVersion: null,
    };
  }
  switch (table.columns[name]?.type) {
    case 'choice':
      return { __type: `OptionSetValue:${contracts}`, Value: value };
    case 'money':
      return { __type: `Money:${contracts}`, Value: value };
    case 'datetime':
      return `/Date(${Date.parse(String(value))})/`;
    default:
      return value;
  }
}

/** An `Entity` as the data contract serializer writes it, with `names` of the row's columns as attributes. */
function entity(table: TableDefinition, row: Row, names: Iterable<string>): Row {
  return {
    __type: `Entity:${contracts}`,
    Attributes: [...names]
      .filter((name) => !table.columns[name]?.writeOnly)
      .map((name) => ({ key: name, value: contractValue(table, name, row[name]) })),
    EntityState: null,
    FormattedValues: [],
    Id: row[table.primaryKey],
    KeyAttributes: [],
    LogicalName: table.logicalName,
    RelatedEntities: [],
    RowVersion: String(row.versionnumber),
  };
}

/** `Target`: the entity with the attributes the write set (and its id and `modifiedon`). */
function target(change: RowChange): Row {
  const { table, row } = change;
  return entity(table, row, new Set([table.primaryKey, ...change.attributes, 'modifiedon']));
}

/** An image registered on a step: the columns it asks for (empty: every column). */
export interface StepImage {
  alias: string;
  type: number;
  attributes: string[];
}

/**
 * The image of `row`: its id and the asked-for columns that hold a value, as a retrieve returns them
 * (a null column is left out).
 */
function image(table: TableDefinition, row: Row, attributes: string[]): Row {
  const all = [...Object.keys(table.columns), ...table.lookups.map((lookup) => lookup.attribute)];
  const asked = attributes.length === 0 ? all : attributes.filter((name) => all.includes(name));
  const names = new Set([table.primaryKey, ...asked]);
  return entity(
    table,
    row,
    [...names].filter((name) => row[name] !== null && row[name] !== undefined),
  );
}

/** `PreEntityImages` and `PostEntityImages`: `{ key: alias, value: Entity }` per image of that kind. */
function entityImages(change: RowChange, images: StepImage[]) {
  const of = (types: number[], row: Row | undefined) =>
    row === undefined
      ? []
      : images
          .filter((candidate) => types.includes(candidate.type))
          .map(({ alias, attributes }) => ({ key: alias, value: image(change.table, row, attributes) }));
  return {
    PreEntityImages: of([ImageType.PreImage, ImageType.Both], change.previous),
    PostEntityImages: of([ImageType.PostImage, ImageType.Both], change.row),
  };
}

export interface StepRegistration {
  stepId: string;
  stepName: string;
  stage: number;
  mode: number;
  images: StepImage[];
}

/**
 * The `RemoteExecutionContext` Dataverse posts to a webhook (JSON message format), for one change and
 * step, with the step's entity images; `correlationId` is shared by the steps one request triggers.
 */
export function remoteExecutionContext(
  change: RowChange,
  step: StepRegistration,
  correlationId: string,
  now: number,
): Record<string, unknown> {
  const id = change.row[change.table.primaryKey];
  // The user the write acted as: the impersonated user when the request named one.
  const userId = change.user.systemuserid;
  const objectId = change.user.azureactivedirectoryobjectid ?? '00000000-0000-0000-0000-000000000000';
  return {
    BusinessUnitId: businessUnitId,
    CorrelationId: correlationId,
    Depth: 1,
    InitiatingUserAzureActiveDirectoryObjectId: objectId,
    InitiatingUserId: userId,
    InputParameters: [{ key: 'Target', value: target(change) }],
    IsExecutingOffline: false,
    IsInTransaction: false,
    IsOfflinePlayback: false,
    IsolationMode: 1,
    MessageName: change.message,
    Mode: step.mode,
    OperationCreatedOn: `/Date(${now})/`,
    OperationId: randomUUID(),
    OrganizationId: organizationId,
    OrganizationName: organizationName,
    OutputParameters: change.message === 'Create' ? [{ key: 'id', value: id }] : [],
    OwningExtension: {
      Id: step.stepId,
      KeyAttributes: [],
      LogicalName: 'sdkmessageprocessingstep',
      Name: step.stepName,
      RowVersion: null,
    },
    ParentContext: null,
    ...entityImages(change, step.images),
    PrimaryEntityId: id,
    PrimaryEntityName: change.table.logicalName,
    RequestId: randomUUID(),
    SecondaryEntityName: 'none',
    SharedVariables: [],
    Stage: step.stage,
    UserAzureActiveDirectoryObjectId: objectId,
    UserId: userId,
  };
}
