import { createHash } from 'node:crypto';
import { eq, guid, type Expand } from '../../connectors';
import { columnsOf, type DataverseClient } from '../../connectors/dataverse/dataverse-client';
import {
  accounts,
  type DataverseTable,
  WorkOrderSystemStatus,
  WorkOrderLineNavigation,
  workOrderProducts,
  workOrders,
  workOrderServices,
} from '../../connectors/entities/dataverse';
import {
  mapWorkOrder,
  requiredLookups,
  sourceFields,
  type SourceRecord,
  type SourceValues,
} from '../../mappings/engine';
import { businessFailure } from '../business-failure';
import { unique } from '../dataverse-tables';
import type { RelatedRecordReader } from '../related-records';
import type { WorkOrderSnapshot } from './contract';
import type { WorkOrderTasks } from './work-order-tasks';

const LINE_COLLECTIONS: Record<string, { navigation: string; table: DataverseTable }> = {
  [workOrderProducts.entitySet]: { navigation: WorkOrderLineNavigation.products, table: workOrderProducts },
  [workOrderServices.entitySet]: { navigation: WorkOrderLineNavigation.services, table: workOrderServices },
};

const PARENT_LOOKUP = 'msdyn_workorder';

export interface LoadWorkOrderDeps {
  dataverse: DataverseClient;
  related: RelatedRecordReader;
  tasks: WorkOrderTasks;
}

/**
 * Reads a work order in one request (header, the accounts it bills, its lines) and the products
 * its lines name in a second; units and currencies come from the worker's reference-data cache.
 */
export async function loadWorkOrder(
  deps: LoadWorkOrderDeps,
  workOrderNumber: string,
): Promise<WorkOrderSnapshot> {
  const { dataverse, related, tasks } = deps;
  const headerLookups = requiredLookups(tasks.header);
  const accountFields = unique([
    ...columnsOf(accounts.schema),
    ...(tasks.customers ? sourceFields(tasks.customers) : []),
    ...headerLookups.filter((l) => l.entity === accounts.entitySet).flatMap((l) => l.fields),
  ]);
  const expand: Expand[] = [
    ...headerLookups
      .filter((lookup) => lookup.entity === accounts.entitySet)
      .map((lookup) => ({ navigation: lookup.lookup, select: accountFields })),
    ...[...tasks.lines].map(([entitySet, lineTasks]) => {
      const { navigation, table } = lineCollection(entitySet);
      return { navigation, select: unique([...columnsOf(table.schema), ...lineTasks.flatMap(sourceFields)]) };
    }),
  ];

  const found: SourceValues[] = [];
  for await (const row of dataverse.query(workOrders, {
    filter: eq('msdyn_name', workOrderNumber),
    select: unique([...columnsOf(workOrders.schema), ...sourceFields(tasks.header)]),
    expand,
    top: 2,
  })) {
    found.push(row);
  }
  if (found.length === 0)
    throw businessFailure(`Work order ${workOrderNumber} does not exist in Field Service`, 'NotFound');
  if (found.length > 1) {
    throw businessFailure(
      `Two work orders in Field Service are numbered ${workOrderNumber}; make the number unique`,
    );
  }
  const row = found[0]!;
  const workOrderId = String(row.msdyn_workorderid);

  const lines: Record<string, SourceValues[]> = {};
  for (const entitySet of tasks.lines.keys()) {
    lines[entitySet] = await linesOf(dataverse, row, workOrderId, entitySet);
  }

  const accountsById = new Map<string, SourceValues>();
  for (const lookup of headerLookups.filter((l) => l.entity === accounts.entitySet)) {
    const account = row[lookup.lookup];
    if (account && typeof account === 'object') {
      const values = account as SourceValues;
      accountsById.set(String(values.accountid), values);
    }
  }
  const header = stripExpansions(row, expand);
  const [headerRelated] = await related.resolve([header], headerLookups, {
    known: new Map([[accounts.entitySet, accountsById]]),
  });

  // Every line type at once, so the products behind product and service lines are one query.
  const lineEntitySets = [...tasks.lines.keys()];
  const lineLookups = [...tasks.lines.values()].flat().flatMap(requiredLookups);
  const allLines = lineEntitySets.flatMap((entitySet) => lines[entitySet] ?? []);
  const relatedRows = await related.resolve(allLines, lineLookups, {
    skip: new Set([PARENT_LOOKUP]),
    extraFields: { products: tasks.products ? sourceFields(tasks.products) : [] },
  });
  const lineRecords: Record<string, SourceRecord[]> = {};
  let offset = 0;
  for (const entitySet of lineEntitySets) {
    const rows = lines[entitySet] ?? [];
    lineRecords[entitySet] = rows.map((record, index) => ({ record, related: relatedRows[offset + index] }));
    offset += rows.length;
  }
  const productsById = new Map<string, SourceValues>();
  for (const relatedRow of relatedRows) {
    for (const [lookup, target] of Object.entries(relatedRow)) {
      const entity = lineLookups.find((l) => l.lookup === lookup)?.entity;
      if (entity === 'products' && target) productsById.set(String(target.productid), target);
    }
  }

  const masterData = async (
    task: WorkOrderTasks['customers'],
    rows: SourceValues[],
  ): Promise<SourceRecord[]> => {
    if (!task) return rows.map((record) => ({ record }));
    const relatedRows = await related.resolve(rows, requiredLookups(task));
    return rows.map((record, index) => ({ record, related: relatedRows[index] }));
  };
  const records: WorkOrderSnapshot['records'] = {
    header: { record: header, related: headerRelated },
    lines: lineRecords,
    accounts: await masterData(tasks.customers, [...accountsById.values()]),
    products: await masterData(tasks.products, [...productsById.values()]),
  };

  const mapping = mapWorkOrder(
    { tasks: [tasks.header, ...[...tasks.lines.values()].flat()] },
    { header: records.header, lines: records.lines },
  );
  return {
    workOrderId,
    workOrderNumber,
    version: versionOf([header, ...Object.values(lines).flat()]),
    ineligibleReason: mapping.synced ? undefined : whyNotSynced(workOrderNumber, records, mapping.reason),
    canceled: header.msdyn_systemstatus === WorkOrderSystemStatus.ClosedCanceled,
    records,
  };
}

/** The template's filter in words a dispatcher can act on, where the cause is one we know. */
function whyNotSynced(number: string, records: WorkOrderSnapshot['records'], filterReason: string): string {
  const header = records.header.record;
  const status = header.msdyn_systemstatus;
  if (status === WorkOrderSystemStatus.OpenUnscheduled || status === WorkOrderSystemStatus.ClosedCanceled) {
    const label = status === WorkOrderSystemStatus.OpenUnscheduled ? 'Open-Unscheduled' : 'Closed-Canceled';
    return `Work order ${number} does not sync: it is ${label}; only Scheduled, In Progress, Completed and Posted work orders become sales orders`;
  }
  if (header.msdynce_hasexternallymaintainedproductsonly !== true) {
    const causes = Object.values(records.lines)
      .flat()
      .flatMap(({ record, related = {} }) => {
        const product = related.msdyn_product ?? related.msdyn_service;
        if (!product)
          return [`line ${String(record.msdyn_lineorder)} has no product that exists in Field Service`];
        return product.msdynce_isexternallymaintained === true
          ? []
          : [`product ${String(product.productnumber)} is not maintained in F&O`];
      });
    return `Work order ${number} does not sync: not all its products are maintained in F&O (${unique(causes).join('; ')})`;
  }
  return `Work order ${number} does not sync: ${filterReason}`;
}

function lineCollection(entitySet: string) {
  const collection = LINE_COLLECTIONS[entitySet];
  if (!collection) throw new Error(`work order lines of ${entitySet} are not supported`);
  return collection;
}

/**
 * The lines from the `$expand`. Dataverse may page an expanded collection inside a collection query
 * (an empty array and a `<navigation>@odata.nextLink`); then the lines are queried by work order.
 */
async function linesOf(
  dataverse: DataverseClient,
  row: SourceValues,
  workOrderId: string,
  entitySet: string,
): Promise<SourceValues[]> {
  const { navigation, table } = lineCollection(entitySet);
  const expanded = row[navigation];
  if (Array.isArray(expanded) && !(`${navigation}@odata.nextLink` in row)) {
    return expanded.map((line) => table.schema.parse(line) as SourceValues);
  }
  const rows: SourceValues[] = [];
  for await (const line of dataverse.query(table, {
    filter: eq('_msdyn_workorder_value', guid(workOrderId)),
  })) {
    rows.push(line);
  }
  return rows;
}

function stripExpansions(row: SourceValues, expand: readonly Expand[]): SourceValues {
  const names = new Set(expand.map((e) => e.navigation));
  return Object.fromEntries(
    Object.entries(row).filter(([name]) => !names.has(name) && !names.has(name.split('@')[0]!)),
  );
}

/** A digest of the rows' ETags: any change to the header or a line gives a new version. */
function versionOf(rows: readonly SourceValues[]): string {
  const etags = rows.map((row) => String(row['@odata.etag'])).sort();
  return createHash('sha256').update(etags.join('\n')).digest('hex').slice(0, 16);
}
