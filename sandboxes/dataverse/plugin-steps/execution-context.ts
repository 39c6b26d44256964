import { randomUUID } from 'node:crypto';
import { applicationUserId, businessUnitId, organizationId, organizationName } from '../identity';
import type { RowChange } from '../dataverse-data';
import type { Row, TableDefinition } from '../schema';
import { tablesByEntitySet } from '../tables';

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

/** `Target`: the entity with the attributes the write set (and its id and `modifiedon`). */
function target(change: RowChange): Row {
  const { table, row } = change;
  const names = new Set([table.primaryKey, ...change.attributes, 'modifiedon']);
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

export interface StepRegistration {
  stepId: string;
  stepName: string;
  stage: number;
  mode: number;
}

/**
 * The `RemoteExecutionContext` Dataverse posts to a webhook (JSON message format), for one change and
 * step; `correlationId` is shared by the steps one request triggers.
 */
export function remoteExecutionContext(
  change: RowChange,
  step: StepRegistration,
  correlationId: string,
  now: number,
): Record<string, unknown> {
  const id = change.row[change.table.primaryKey];
  return {
    BusinessUnitId: businessUnitId,
    CorrelationId: correlationId,
    Depth: 1,
    InitiatingUserAzureActiveDirectoryObjectId: '00000000-0000-0000-0000-000000000000',
    InitiatingUserId: applicationUserId,
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
    PostEntityImages: [],
    PreEntityImages: [],
    PrimaryEntityId: id,
    PrimaryEntityName: change.table.logicalName,
    RequestId: randomUUID(),
    SecondaryEntityName: 'none',
    SharedVariables: [],
    Stage: step.stage,
    UserAzureActiveDirectoryObjectId: '00000000-0000-0000-0000-000000000000',
    UserId: applicationUserId,
  };
}
