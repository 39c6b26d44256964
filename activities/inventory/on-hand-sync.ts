import { and, D365Error, eq, ge, gt, guid, or, type Filter } from '../../connectors';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import {
  inventoryJournals,
  productInventories,
  products,
  warehouses,
} from '../../connectors/entities/dataverse';
import { onHand } from '../../connectors/entities/finance';
import type { FinanceClient } from '../../connectors/finance/finance-client';
import { mapRecord, RecordMappingError, type SourceValues } from '../../mappings/engine';
import type { ProjectTask } from '../../mappings/project/merge';
import { noCounts, type SyncCounts, type SyncWatermark } from '../master-data/contract';
import type { MasterDataSync } from '../master-data/master-data-sync';
import { KEYS_PER_QUERY } from '../key-filters';
import { unrecordedReceipts } from '../purchase-order/unrecorded-receipts';
import { inFlightMovements } from './in-flight';

/** A level's key in counts and retry lists: `["<item>","<warehouse>"]`. */
export const levelKey = (item: string, warehouse: string) => JSON.stringify([item, warehouse]);
const parseKey = (key: string) => JSON.parse(key) as [string, string];

interface Level {
  key: string;
  item: string;
  warehouse: string;
  /** The on-hand quantity Field Service must reach, as the mapping task reads it. */
  target: number;
}

const chunks = <T>(values: readonly T[]): T[][] => {
  const result: T[][] = [];
  for (let start = 0; start < values.length; start += KEYS_PER_QUERY)
    result.push(values.slice(start, start + KEYS_PER_QUERY));
  return result;
};
const anyOf = (filters: Filter[]) => or(filters[0]!, ...filters.slice(1));

/**
 * F&O on-hand → Field Service, as Microsoft's solution does it: each changed F&O level becomes a manual
 * inventory journal in Field Service for the difference, so Field Service ends equal to F&O. The journal is
 * the difference to Field Service's level as read just before, so a rerun, or a retry after a crash, finds
 * nothing left to book. A level with a movement only one side has booked yet (a used part of a work order not
 * yet invoiced, a Posted adjustment or transfer whose journal is not yet recorded, an F&O product receipt the
 * purchase order workflow has not recorded) is left for a later run, listed with the documents it waits for:
 * booking it now would undo or double that movement.
 * F&O levels are read by `ModifiedDateTime` (the sandbox's stand-in for change tracking) and key.
 */
export function onHandSync(
  dataverse: DataverseClient,
  finance: FinanceClient,
  task: ProjectTask,
): MasterDataSync {
  const levelOf = (record: SourceValues): Level => {
    const payload = mapRecord(task, record);
    const item = String(payload.bindings.msdyn_product?.value ?? '');
    const warehouse = String(payload.bindings.msdyn_warehouse?.value ?? '');
    return {
      key: levelKey(item, warehouse),
      item,
      warehouse,
      target: Number(payload.values.msdyn_qtyonhand ?? 0),
    };
  };

  async function book(records: readonly SourceValues[]): Promise<SyncCounts> {
    const counts = noCounts();
    const levels: Level[] = [];
    for (const record of records) {
      try {
        levels.push(levelOf(record));
      } catch (err) {
        if (!(err instanceof RecordMappingError)) throw err;
        counts.failed.push({
          key: levelKey(String(record.ItemNumber), String(record.InventoryWarehouseId)),
          reason: err.message,
        });
      }
    }
    if (levels.length === 0) return counts;
    const fieldService = await fieldServiceSide(dataverse, levels);
    const waiting = await inFlightMovements(dataverse, fieldService.levelIds);
    const receipts = await unrecordedReceipts(dataverse, finance, levels);
    const journals: { key: string; created: boolean; values: Record<string, unknown> }[] = [];
    for (const level of levels) {
      const warehouse = fieldService.warehouses.get(level.warehouse.toLowerCase());
      const product = fieldService.products.get(level.item.toLowerCase());
      if (!warehouse || warehouse.msdynce_ismaintainedexternally !== true) {
        counts.unchanged++; // Field Service masters this warehouse (or does not have it): nothing to book.
        continue;
      }
      if (!product) {
        counts.failed.push({
          key: level.key,
          reason: `product ${level.item} is not in Field Service; sync products, then its on-hand follows`,
        });
        continue;
      }
      if (product.msdynce_isexternallymaintained !== true) {
        counts.unchanged++;
        continue;
      }
      const pair = `${String(product.productid)}|${String(warehouse.msdyn_warehouseid)}`;
      const documents = waiting.get(pair);
      if (documents) {
        counts.failed.push({
          key: level.key,
          reason: `waiting for ${documents.join(', ')} to be booked in F&O; Field Service already moved that stock`,
        });
        continue;
      }
      const unrecorded = receipts.get(level.key);
      if (unrecorded) {
        counts.failed.push({
          key: level.key,
          reason: `waiting for ${unrecorded.join(', ')} to be recorded in Field Service; F&O already received that stock`,
        });
        continue;
      }
      const current = fieldService.onHand.get(pair);
      const delta = Math.round((level.target - (current ?? 0)) * 1e6) / 1e6;
      if (delta === 0) {
        counts.unchanged++;
        continue;
      }
      journals.push({
        key: level.key,
        created: current === undefined,
        values: {
          msdyn_name: `On-hand from F&O: ${level.target}`,
          msdyn_quantity: delta,
          msdyn_transactiondate: new Date().toISOString(),
          'msdyn_product@odata.bind': `/products(${String(product.productid)})`,
          'msdyn_warehouse@odata.bind': `/msdyn_warehouses(${String(warehouse.msdyn_warehouseid)})`,
          ...(product._msdynce_inventoryunit_value
            ? { 'msdyn_unit@odata.bind': `/uoms(${String(product._msdynce_inventoryunit_value)})` }
            : {}),
        },
      });
    }
    if (journals.length === 0) return counts;
    const operations = journals.map((journal) =>
      dataverse.createOperation(inventoryJournals, journal.values),
    );
    try {
      // The page's journals in one change set; a page Dataverse refuses is written one change set per journal,
      // so the journal at fault is listed and the others are booked.
      await dataverse.batch([operations]);
      for (const journal of journals) counts[journal.created ? 'created' : 'updated']++;
    } catch (err) {
      if (!(err instanceof D365Error) || err.retryable) throw err;
      const outcomes = await dataverse.batchSettled(operations.map((operation) => [operation]));
      outcomes.forEach((outcome, index) => {
        const journal = journals[index]!;
        if (outcome.ok) counts[journal.created ? 'created' : 'updated']++;
        else
          counts.failed.push({
            key: journal.key,
            reason: outcome.error.serviceMessage || outcome.error.message,
          });
      });
    }
    return counts;
  }

  return {
    summary: 'F&O on-hand → Field Service inventory journals for the difference',
    async changes(after: SyncWatermark, limit: number) {
      const at = new Date(after.changedOn ?? 0);
      const filter =
        after.key === ''
          ? ge('ModifiedDateTime', at)
          : or(gt('ModifiedDateTime', at), and(eq('ModifiedDateTime', at), afterKey(parseKey(after.key))));
      const records: SourceValues[] = [];
      for await (const record of finance.query(onHand, {
        filter,
        orderBy: ['ModifiedDateTime', 'ItemNumber', 'InventoryWarehouseId'],
        top: limit,
      }))
        records.push(record);
      const last = records.at(-1);
      const watermark = last
        ? {
            changedOn: String(last.ModifiedDateTime),
            key: levelKey(String(last.ItemNumber), String(last.InventoryWarehouseId)),
          }
        : after;
      return { ...(await book(records)), watermark, more: records.length >= limit };
    },
    async records(keys) {
      const records: SourceValues[] = [];
      for (const chunk of chunks(keys.map(parseKey))) {
        const filter = anyOf(
          chunk.map(([item, warehouse]) =>
            and(eq('ItemNumber', item), eq('InventoryWarehouseId', warehouse)),
          ),
        );
        for await (const record of finance.query(onHand, { filter })) records.push(record);
      }
      const counts = await book(records);
      const found = new Set(
        records.map((record) => levelKey(String(record.ItemNumber), String(record.InventoryWarehouseId))),
      );
      return { ...counts, unchanged: counts.unchanged + keys.filter((key) => !found.has(key)).length };
    },
  };
}

function afterKey([item, warehouse]: [string, string]): Filter {
  return or(gt('ItemNumber', item), and(eq('ItemNumber', item), gt('InventoryWarehouseId', warehouse)));
}

interface FieldServiceSide {
  warehouses: Map<string, SourceValues>;
  products: Map<string, SourceValues>;
  /** On-hand by `<product id>|<warehouse id>`. */
  onHand: Map<string, number>;
  levelIds: { product: string; warehouse: string }[];
}

/** The warehouses, products and levels of a page of F&O levels, a query per entity set and 50 keys. */
async function fieldServiceSide(
  dataverse: DataverseClient,
  levels: readonly Level[],
): Promise<FieldServiceSide> {
  const byName = async (table: typeof warehouses | typeof products, column: string, names: string[]) => {
    const rows = new Map<string, SourceValues>();
    for (const chunk of chunks([...new Set(names)])) {
      for await (const row of dataverse.query(table as typeof warehouses, {
        filter: anyOf(chunk.map((name) => eq(column, name))),
      }))
        rows.set(String((row as SourceValues)[column]).toLowerCase(), row);
    }
    return rows;
  };
  const warehouseRows = await byName(
    warehouses,
    'msdyn_name',
    levels.map((level) => level.warehouse),
  );
  const productRows = await byName(
    products,
    'productnumber',
    levels.map((level) => level.item),
  );
  const levelIds = levels.flatMap((level) => {
    const warehouse = warehouseRows.get(level.warehouse.toLowerCase());
    const product = productRows.get(level.item.toLowerCase());
    return warehouse && product
      ? [{ product: String(product.productid), warehouse: String(warehouse.msdyn_warehouseid) }]
      : [];
  });
  const onHandByPair = new Map<string, number>();
  const warehouseIds = [...new Set(levelIds.map((ids) => ids.warehouse))];
  for (const warehouseId of warehouseIds) {
    const productIds = [
      ...new Set(levelIds.filter((ids) => ids.warehouse === warehouseId).map((ids) => ids.product)),
    ];
    for (const chunk of chunks(productIds)) {
      const filter = and(
        eq('_msdyn_warehouse_value', guid(warehouseId)),
        anyOf(chunk.map((id) => eq('_msdyn_product_value', guid(id)))),
      );
      for await (const row of dataverse.query(productInventories, { filter })) {
        const pair = `${String(row._msdyn_product_value)}|${String(row._msdyn_warehouse_value)}`;
        onHandByPair.set(pair, (onHandByPair.get(pair) ?? 0) + Number(row.msdyn_qtyonhand ?? 0));
      }
    }
  }
  return { warehouses: warehouseRows, products: productRows, onHand: onHandByPair, levelIds };
}
