import { eq, guid } from '../../connectors';
import { columnsOf, type DataverseClient } from '../../connectors/dataverse/dataverse-client';
import {
  FieldServiceProductType,
  PurchaseOrderSystemStatus,
  purchaseOrderProducts,
  purchaseOrders,
} from '../../connectors/entities/dataverse';
import { requiredLookups, sourceFields, type SourceValues } from '../../mappings/engine';
import { businessFailure } from '../business-failure';
import { unique } from '../dataverse-tables';
import type { RelatedRecordReader } from '../related-records';
import type { PurchaseOrderSnapshot } from './contract';
import { ownedValuesOf } from './owned-values';
import type { PurchaseOrderTasks } from './purchase-order-tasks';

/** The navigation from a purchase order to its lines. */
export const PURCHASE_ORDER_LINES = 'msdyn_msdyn_purchaseorder_msdyn_purchaseorderproduct_PurchaseOrder';
const PARENT_LOOKUP = 'msdyn_purchaseorder';

type Tasks = Pick<PurchaseOrderTasks, 'header' | 'lines'>;

export interface LoadPurchaseOrderDeps {
  dataverse: DataverseClient;
  related: RelatedRecordReader;
  tasks: Tasks;
}

/** The columns a purchase order read selects: the header's and its lines', as the tasks to F&O read them. */
export function purchaseOrderColumns(tasks: Tasks) {
  return {
    header: unique([...columnsOf(purchaseOrders.schema), ...sourceFields(tasks.header)]),
    lines: unique([...columnsOf(purchaseOrderProducts.schema), ...sourceFields(tasks.lines)]),
  };
}

/** A purchase order's rows as read: the header without its expanded lines, and the lines. */
export interface PurchaseOrderRows {
  header: SourceValues;
  lines: readonly SourceValues[];
}

/**
 * Splits a header row that expanded its lines. Dataverse may page an expanded collection; then the
 * lines are queried by order.
 */
export async function splitLines(dataverse: DataverseClient, row: SourceValues): Promise<PurchaseOrderRows> {
  const header = Object.fromEntries(
    Object.entries(row).filter(([name]) => !name.startsWith(PURCHASE_ORDER_LINES)),
  );
  const lines =
    Array.isArray(row[PURCHASE_ORDER_LINES]) && !(`${PURCHASE_ORDER_LINES}@odata.nextLink` in row)
      ? (row[PURCHASE_ORDER_LINES] as unknown[]).map(
          (line) => purchaseOrderProducts.schema.parse(line) as SourceValues,
        )
      : await linesOf(dataverse, String(row.msdyn_purchaseorderid));
  return { header, lines };
}

/**
 * Attaches the related records the tasks to F&O read to several purchase orders at once (one query per
 * related entity set for all headers, one for all lines; reference data from the cache) and notes
 * what F&O could not take: a Draft order, a line without product (category-only), a service product,
 * a line without unit or line number.
 */
export async function resolvePurchaseOrders(
  related: RelatedRecordReader,
  tasks: Tasks,
  orders: readonly PurchaseOrderRows[],
): Promise<PurchaseOrderSnapshot[]> {
  const headersRelated = await related.resolve(
    orders.map((order) => order.header),
    requiredLookups(tasks.header),
  );
  const linesRelated = await related.resolve(
    orders.flatMap((order) => order.lines),
    requiredLookups(tasks.lines),
    { skip: new Set([PARENT_LOOKUP]), extraFields: { products: ['msdyn_fieldserviceproducttype'] } },
  );
  let offset = 0;
  return orders.map(({ header, lines }, orderIndex): PurchaseOrderSnapshot => {
    const lineRelated = lines.map(() => linesRelated[offset++] ?? {});
    const vendor = headersRelated[orderIndex]?.msdyn_vendor;
    const problems: string[] = [];
    if (header.msdyn_systemstatus === PurchaseOrderSystemStatus.Draft)
      problems.push('it is Draft in Field Service: submit it first');
    if (!vendor?.accountnumber) problems.push('it has no vendor account with an account number');
    lines.forEach((line, index) => {
      const name = `line ${String(line.msdyn_lineorder ?? `#${index + 1}`)}`;
      const product = lineRelated[index]?.msdyn_product;
      if (line.msdyn_lineorder === null || line.msdyn_lineorder === undefined)
        problems.push(`${name} has no line number (msdyn_lineorder)`);
      if (!product) problems.push(`${name} has no product: category-only lines can only start in F&O`);
      else if (product.msdyn_fieldserviceproducttype === FieldServiceProductType.Service)
        problems.push(
          `${name}: ${String(product.productnumber)} is a service product; service lines can only start in F&O`,
        );
      if (!line._msdyn_unit_value) problems.push(`${name} has no unit`);
    });
    if (lines.length === 0) problems.push('it has no lines');
    return {
      orderId: String(header.msdyn_purchaseorderid),
      purchaseOrderNumber: String(header.msdyn_name),
      vendorAccount: typeof vendor?.accountnumber === 'string' ? vendor.accountnumber : undefined,
      problems,
      owned: ownedValuesOf(tasks, header, lines),
      records: {
        header: { record: header, related: headersRelated[orderIndex] },
        lines: {
          [purchaseOrderProducts.entitySet]: lines.map((record, index) => ({
            record,
            related: lineRelated[index],
          })),
        },
      },
    };
  });
}

/**
 * Reads a purchase order in one request (header and lines); related records come from the worker's
 * reference-data cache or one query per entity set.
 */
export async function loadPurchaseOrder(
  deps: LoadPurchaseOrderDeps,
  purchaseOrderNumber: string,
): Promise<PurchaseOrderSnapshot> {
  const { dataverse, related, tasks } = deps;
  const columns = purchaseOrderColumns(tasks);
  const found: SourceValues[] = [];
  for await (const row of dataverse.query(purchaseOrders, {
    filter: eq('msdyn_name', purchaseOrderNumber),
    select: columns.header,
    expand: [{ navigation: PURCHASE_ORDER_LINES, select: columns.lines }],
    top: 2,
  })) {
    found.push(row);
  }
  if (found.length === 0)
    throw businessFailure(
      `Purchase order ${purchaseOrderNumber} does not exist in Field Service`,
      'NotFound',
    );
  if (found.length > 1)
    throw businessFailure(`Two purchase orders in Field Service are named ${purchaseOrderNumber}`);
  const [snapshot] = await resolvePurchaseOrders(related, tasks, [await splitLines(dataverse, found[0]!)]);
  return { ...snapshot!, purchaseOrderNumber };
}

async function linesOf(dataverse: DataverseClient, orderId: string): Promise<SourceValues[]> {
  const rows: SourceValues[] = [];
  for await (const line of dataverse.query(purchaseOrderProducts, {
    filter: eq('_msdyn_purchaseorder_value', guid(orderId)),
  })) {
    rows.push(line);
  }
  return rows;
}
