import { createHash } from 'node:crypto';
import { eq, guid, or } from '../../connectors';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import {
  InventoryPostStatus,
  inventoryAdjustmentProducts,
  inventoryAdjustments,
  inventoryTransfers,
  products,
  warehouses,
  type DataverseTable,
  type Warehouse,
} from '../../connectors/entities/dataverse';
import { mapHeaderWithLines, requiredLookups, type SourceValues } from '../../mappings/engine';
import { businessFailure } from '../business-failure';
import type { RelatedRecordReader } from '../related-records';
import type { InventoryDocumentKind, InventoryDocumentRef, InventoryDocumentSnapshot } from './contract';
import type { InventoryDocumentTasks } from './inventory-tasks';

const documents: Record<
  InventoryDocumentKind,
  { table: DataverseTable; label: string; lineLookup: string; warehouseLookups: string[] }
> = {
  adjustment: {
    table: inventoryAdjustments,
    label: 'Adjustment',
    lineLookup: 'msdyn_inventoryadjustment',
    warehouseLookups: ['_msdyn_warehouse_value'],
  },
  transfer: {
    table: inventoryTransfers,
    label: 'Transfer',
    lineLookup: 'msdyn_inventorytransfer',
    warehouseLookups: ['_msdyn_sourcewarehouse_value', '_msdyn_destinationwarehouse_value'],
  },
};

export interface LoadInventoryDocumentDeps {
  dataverse: DataverseClient;
  related: RelatedRecordReader;
  tasks: InventoryDocumentTasks;
}

/**
 * Reads an adjustment or transfer, its lines, their products and its warehouses (five Dataverse queries at
 * most), maps it with the project's tasks, and says what a person must fix before F&O can take it.
 */
export async function loadInventoryDocument(
  { dataverse, related, tasks }: LoadInventoryDocumentDeps,
  { kind, name }: InventoryDocumentRef,
): Promise<InventoryDocumentSnapshot> {
  const { table, label, lineLookup, warehouseLookups } = documents[kind];
  const found: SourceValues[] = [];
  for await (const row of dataverse.query(table, { filter: eq('msdyn_name', name), top: 2 })) found.push(row);
  if (found.length === 0)
    throw businessFailure(`${label} ${name} does not exist in Field Service`, 'NotFound');
  if (found.length > 1)
    throw businessFailure(`Two ${kind}s in Field Service are named ${name}; make the name unique`);
  const header = found[0]!;
  const documentId = String(header[table.primaryKey]);

  const lines: SourceValues[] = [];
  for await (const line of dataverse.query(inventoryAdjustmentProducts, {
    filter: eq(`_${lineLookup}_value`, guid(documentId)),
  }))
    lines.push(line);
  lines.sort(
    (a, b) =>
      String(a.msdynce_numbersequence ?? '').localeCompare(String(b.msdynce_numbersequence ?? '')) ||
      String(a.msdyn_inventoryadjustmentproductid).localeCompare(
        String(b.msdyn_inventoryadjustmentproductid),
      ),
  );
  const lineRelated = await related.resolve(lines, requiredLookups(tasks.lines), {
    skip: new Set([lineLookup]),
  });
  const warehouseIds = warehouseLookups.map((lookup) => header[lookup]);
  const warehouseRows = await rowsById(dataverse, warehouses, 'msdyn_warehouseid', warehouseIds);
  const productRows = await rowsById(
    dataverse,
    products,
    'productid',
    lines.map((line) => line._msdyn_product_value),
  );

  const mapping = mapHeaderWithLines({ tasks: [tasks.header, tasks.lines] }, tasks.header, {
    header: { record: header },
    lines: { [tasks.lines.source]: lines.map((record, index) => ({ record, related: lineRelated[index] })) },
  });
  const problems: string[] = [];
  if (header.msdynce_poststatus !== InventoryPostStatus.Posted)
    problems.push('it is not Posted yet (only Posted documents go to F&O); post it in Field Service');
  else if (!mapping.synced) problems.push(mapping.reason);
  problems.push(...warehouseProblems(kind, warehouseIds, warehouseRows));
  if (lines.length === 0) problems.push('it has no products');
  lines.forEach((line, index) => {
    const product = productRows.get(String(line._msdyn_product_value));
    const what = `line ${index + 1} (${String(line.msdyn_name)})`;
    if (!product) problems.push(`${what} has no product`);
    else if (product.msdynce_isexternallymaintained !== true)
      problems.push(
        `${what}: product ${String(product.productnumber)} is not maintained in F&O (not released there)`,
      );
    else if (
      line._msdyn_unit_value &&
      product._msdynce_inventoryunit_value &&
      line._msdyn_unit_value !== product._msdynce_inventoryunit_value
    )
      problems.push(
        `${what}: its unit is not the inventory unit of product ${String(product.productnumber)}; F&O journals are in the inventory unit`,
      );
  });

  return {
    kind,
    name,
    documentId,
    version: versionOf([header, ...lines]),
    recordedJournalNumber: header.msdynce_journalnumber ? String(header.msdynce_journalnumber) : undefined,
    problem: problems.length > 0 ? `${label} ${name} cannot go to F&O: ${problems.join('; ')}` : undefined,
    warehouses: warehouseIds.map((id) => String(warehouseRows.get(String(id))?.msdyn_name ?? '')),
    journal: mapping.synced
      ? {
          header: mapping.header.values,
          lines: mapping.lines.map((line, index) => ({ ...line.values, LineNumber: index + 1 })),
        }
      : { header: {}, lines: [] },
  };
}

function warehouseProblems(
  kind: InventoryDocumentKind,
  ids: unknown[],
  rows: ReadonlyMap<string, SourceValues>,
): string[] {
  const problems: string[] = [];
  const roles =
    kind === 'adjustment' ? ['its warehouse'] : ['its source warehouse', 'its destination warehouse'];
  ids.forEach((id, index) => {
    const warehouse = rows.get(String(id)) as Warehouse | undefined;
    if (!warehouse) problems.push(`${roles[index]} is not set`);
    else if (warehouse.msdynce_ismaintainedexternally !== true)
      problems.push(
        `${roles[index]} ${warehouse.msdyn_name} is not maintained externally (it was created in Field Service, ` +
          'so F&O does not know it); use a warehouse synced from F&O',
      );
  });
  if (kind === 'transfer' && ids[0] && ids[0] === ids[1])
    problems.push(
      'its source and destination are the same warehouse; a transfer must move stock between two',
    );
  return problems;
}

async function rowsById(
  dataverse: DataverseClient,
  table: DataverseTable,
  key: string,
  ids: unknown[],
): Promise<Map<string, SourceValues>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  const rows = new Map<string, SourceValues>();
  if (wanted.length === 0) return rows;
  const [first, ...rest] = wanted.map((id) => eq(key, guid(id)));
  const filter = or(first!, ...rest);
  for await (const row of dataverse.query(table, { filter }))
    rows.set(String(row[key as keyof typeof row]), row);
  return rows;
}

/** A digest of the rows' ETags: any change to the document or a line gives a new version. */
function versionOf(rows: readonly SourceValues[]): string {
  const etags = rows.map((row) => String(row['@odata.etag'])).sort();
  return createHash('sha256').update(etags.join('\n')).digest('hex').slice(0, 16);
}
