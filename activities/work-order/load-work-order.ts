import { createHash } from 'node:crypto';
import { eq, guid, type Expand } from '../../connectors';
import { columnsOf, type DataverseClient } from '../../connectors/dataverse/dataverse-client';
import {
  accounts,
  type DataverseTable,
  products,
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
import type { WorkOrderSnapshot, WorkOrderVersion } from './contract';
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
 * The columns a work order read selects: the header's, the accounts it bills (expanded: single-valued
 * navigations always come inline) and each line collection's, as the mapping project's tasks read them.
 */
export function workOrderColumns(tasks: WorkOrderTasks) {
  const accountLookups = requiredLookups(tasks.header).filter((l) => l.entity === accounts.entitySet);
  const accountFields = unique([
    ...columnsOf(accounts.schema),
    ...(tasks.customers ? sourceFields(tasks.customers) : []),
    ...accountLookups.flatMap((l) => l.fields),
  ]);
  return {
    header: unique([...columnsOf(workOrders.schema), ...sourceFields(tasks.header)]),
    accounts: accountLookups.map((lookup): Expand => ({ navigation: lookup.lookup, select: accountFields })),
    lines: new Map(
      [...tasks.lines].map(([entitySet, lineTasks]) => [
        entitySet,
        unique([...columnsOf(lineCollection(entitySet).table.schema), ...lineTasks.flatMap(sourceFields)]),
      ]),
    ),
  };
}

/** A work order's rows as read: the header without its expansions, its lines by entity set, its accounts by id. */
export interface WorkOrderRows {
  header: SourceValues;
  lines: Readonly<Record<string, readonly SourceValues[]>>;
  accounts: ReadonlyMap<string, SourceValues>;
  /** Products the lines name, where the read expanded them, by id. */
  products?: ReadonlyMap<string, SourceValues>;
}

/** The header row of a query that expanded `expand`, and the accounts it expanded. */
export function splitExpansions(
  row: SourceValues,
  expand: readonly Expand[],
): Pick<WorkOrderRows, 'header' | 'accounts'> {
  const accountsById = new Map<string, SourceValues>();
  for (const { navigation } of expand) {
    const account = row[navigation];
    if (account && typeof account === 'object' && !Array.isArray(account)) {
      const values = account as SourceValues;
      if (values.accountid !== undefined) accountsById.set(String(values.accountid), values);
    }
  }
  return { header: stripExpansions(row, expand), accounts: accountsById };
}

/** A work order shaped for the mapping engine, and the products its lines name. */
export interface ResolvedWorkOrder {
  header: SourceRecord;
  lines: Record<string, SourceRecord[]>;
  products: Map<string, SourceValues>;
}

/**
 * Attaches the related records the mapping reads to several work orders at once: one query per related
 * entity set for all their headers, and one for all their lines (reference data from the cache).
 */
export async function resolveWorkOrders(
  related: RelatedRecordReader,
  tasks: WorkOrderTasks,
  workOrders: readonly WorkOrderRows[],
): Promise<ResolvedWorkOrder[]> {
  const headerLookups = requiredLookups(tasks.header);
  const knownAccounts = new Map(workOrders.flatMap((workOrder) => [...workOrder.accounts]));
  const headersRelated = await related.resolve(
    workOrders.map((workOrder) => workOrder.header),
    headerLookups,
    { known: new Map([[accounts.entitySet, knownAccounts]]) },
  );

  // Every line of every work order at once, so the products behind them are one query.
  const lineEntitySets = [...tasks.lines.keys()];
  const lineLookups = [...tasks.lines.values()].flat().flatMap(requiredLookups);
  const allLines = workOrders.flatMap((workOrder) =>
    lineEntitySets.flatMap((entitySet) => workOrder.lines[entitySet] ?? []),
  );
  const knownProducts = new Map(workOrders.flatMap((workOrder) => [...(workOrder.products ?? [])]));
  const linesRelated = await related.resolve(allLines, lineLookups, {
    skip: new Set([PARENT_LOOKUP]),
    extraFields: { products: productFields(tasks) },
    known: new Map([[products.entitySet, knownProducts]]),
  });

  let offset = 0;
  return workOrders.map((workOrder, index) => {
    const lines: Record<string, SourceRecord[]> = {};
    const products = new Map<string, SourceValues>();
    for (const entitySet of lineEntitySets) {
      lines[entitySet] = (workOrder.lines[entitySet] ?? []).map((record) => {
        const lineRelated = linesRelated[offset++] ?? {};
        for (const [lookup, target] of Object.entries(lineRelated)) {
          const entity = lineLookups.find((l) => l.lookup === lookup)?.entity;
          if (entity === 'products' && target) products.set(String(target.productid), target);
        }
        return { record, related: lineRelated };
      });
    }
    return { header: { record: workOrder.header, related: headersRelated[index] }, lines, products };
  });
}

/** The product columns a work order's mapping reads: the schema's and those its master-data task maps. */
function productFields(tasks: WorkOrderTasks): string[] {
  return tasks.products ? sourceFields(tasks.products) : [];
}

/** The lines' product lookups, expanded inside the lines' `$expand` with the columns the mapping reads. */
function productExpansions(tasks: WorkOrderTasks, entitySet: string): Expand[] {
  const lookups = (tasks.lines.get(entitySet) ?? [])
    .flatMap(requiredLookups)
    .filter((lookup) => lookup.entity === products.entitySet);
  return unique(lookups.map((lookup) => lookup.lookup)).map((navigation) => ({
    navigation,
    select: unique([
      ...columnsOf(products.schema),
      ...productFields(tasks),
      ...lookups.filter((lookup) => lookup.lookup === navigation).flatMap((lookup) => lookup.fields),
    ]),
  }));
}

/**
 * Reads a work order in one request: its header, the accounts it bills, its lines and the products
 * they name (a nested `$expand`); units and currencies come from the worker's reference-data cache.
 */
export async function loadWorkOrder(
  deps: LoadWorkOrderDeps,
  workOrderNumber: string,
): Promise<WorkOrderSnapshot> {
  const { dataverse, related, tasks } = deps;
  const columns = workOrderColumns(tasks);
  const expand: Expand[] = [
    ...columns.accounts,
    ...[...columns.lines].map(([entitySet, select]) => ({
      navigation: lineCollection(entitySet).navigation,
      select,
      expand: productExpansions(tasks, entitySet),
    })),
  ];

  const row = await onlyWorkOrder(
    dataverse.query(workOrders, {
      filter: eq('msdyn_name', workOrderNumber),
      select: columns.header,
      expand,
      top: 2,
    }),
    workOrderNumber,
  );
  const workOrderId = String(row.msdyn_workorderid);

  const lines: Record<string, SourceValues[]> = {};
  const productsById = new Map<string, SourceValues>();
  for (const entitySet of tasks.lines.keys()) {
    const expanded = productExpansions(tasks, entitySet);
    const navigations = expanded.map((e) => e.navigation);
    lines[entitySet] = (await linesOf(dataverse, row, workOrderId, entitySet, navigations)).map((line) =>
      withoutExpandedProducts(line, expanded, productsById),
    );
  }
  const { header, accounts: accountsById } = splitExpansions(row, expand);
  const [resolved] = await resolveWorkOrders(related, tasks, [
    { header, lines, accounts: accountsById, products: productsById },
  ]);

  const masterData = async (
    task: WorkOrderTasks['customers'],
    rows: SourceValues[],
  ): Promise<SourceRecord[]> => {
    if (!task) return rows.map((record) => ({ record }));
    const relatedRows = await related.resolve(rows, requiredLookups(task));
    return rows.map((record, index) => ({ record, related: relatedRows[index] }));
  };
  const records: WorkOrderSnapshot['records'] = {
    header: resolved!.header,
    lines: resolved!.lines,
    accounts: await masterData(tasks.customers, [...accountsById.values()]),
    products: await masterData(tasks.products, [...resolved!.products.values()]),
  };

  const mapping = mapWorkOrder(
    { tasks: [tasks.header, ...[...tasks.lines.values()].flat()] },
    { header: records.header, lines: records.lines },
  );
  return {
    workOrderId,
    workOrderNumber,
    version: versionOf([header, ...Object.values(lines).flat()]),
    etag: String(header['@odata.etag']),
    ineligibleReason: mapping.synced ? undefined : whyNotSynced(workOrderNumber, records, mapping.reason),
    canceled: header.msdyn_systemstatus === WorkOrderSystemStatus.ClosedCanceled,
    records,
  };
}

/**
 * The work order's version without its data: the header's status and ETag and its lines' ETags, in
 * one request, as `loadWorkOrder` would give them.
 */
export async function readWorkOrderVersion(
  dataverse: DataverseClient,
  tasks: WorkOrderTasks,
  workOrderNumber: string,
): Promise<WorkOrderVersion> {
  const lineSets = [...tasks.lines.keys()];
  const expand: Expand[] = lineSets.map((entitySet) => ({
    navigation: lineCollection(entitySet).navigation,
    select: columnsOf(lineCollection(entitySet).table.schema),
  }));
  const row = await onlyWorkOrder(
    dataverse.query(workOrders, {
      filter: eq('msdyn_name', workOrderNumber),
      select: ['msdyn_workorderid', 'msdyn_systemstatus'],
      expand,
      top: 2,
    }),
    workOrderNumber,
  );
  const workOrderId = String(row.msdyn_workorderid);
  const lines: SourceValues[] = [];
  for (const entitySet of lineSets)
    lines.push(...(await linesOf(dataverse, row, workOrderId, entitySet, [])));
  const header = stripExpansions(row, expand);
  return {
    workOrderId,
    version: versionOf([header, ...lines]),
    etag: String(header['@odata.etag']),
    canceled: header.msdyn_systemstatus === WorkOrderSystemStatus.ClosedCanceled,
  };
}

/** The one work order of a number, or a business failure a person can act on. */
async function onlyWorkOrder(
  rows: AsyncIterable<SourceValues>,
  workOrderNumber: string,
): Promise<SourceValues> {
  const found: SourceValues[] = [];
  for await (const row of rows) found.push(row);
  if (found.length === 0)
    throw businessFailure(`Work order ${workOrderNumber} does not exist in Field Service`, 'NotFound');
  if (found.length > 1) {
    throw businessFailure(
      `Two work orders in Field Service are numbered ${workOrderNumber}; make the number unique`,
    );
  }
  return found[0]!;
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
 * The lines from the `$expand`, with their expanded products. Dataverse may page an expanded collection inside a collection query
 * (an empty array and a `<navigation>@odata.nextLink`); then the lines are queried by work order.
 */
async function linesOf(
  dataverse: DataverseClient,
  row: SourceValues,
  workOrderId: string,
  entitySet: string,
  /** Navigations expanded in each line, kept beside the line's columns. */
  expandedNavigations: readonly string[],
): Promise<SourceValues[]> {
  const { navigation, table } = lineCollection(entitySet);
  const expanded = row[navigation];
  if (Array.isArray(expanded) && !(`${navigation}@odata.nextLink` in row)) {
    return expanded.map((line: Record<string, unknown>) => ({
      ...(table.schema.parse(line) as SourceValues),
      ...pick(line, expandedNavigations),
    }));
  }
  const rows: SourceValues[] = [];
  for await (const line of dataverse.query(table, {
    filter: eq('_msdyn_workorder_value', guid(workOrderId)),
  })) {
    rows.push(line);
  }
  return rows;
}

function pick(row: Record<string, unknown>, names: readonly string[]): SourceValues {
  return Object.fromEntries(
    names.filter((name) => name in row).map((name) => [name, row[name]]),
  ) as SourceValues;
}

/** A line without its expanded products, which go to `productsById`. */
function withoutExpandedProducts(
  line: SourceValues,
  expanded: readonly Expand[],
  productsById: Map<string, SourceValues>,
): SourceValues {
  for (const { navigation } of expanded) {
    const product = line[navigation];
    if (product && typeof product === 'object' && !Array.isArray(product)) {
      const values = product as SourceValues;
      if (values.productid !== undefined) productsById.set(String(values.productid), values);
    }
  }
  return stripExpansions(line, expanded);
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
