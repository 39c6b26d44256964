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

const LINES = 'msdyn_msdyn_purchaseorder_msdyn_purchaseorderproduct_PurchaseOrder';
const PARENT_LOOKUP = 'msdyn_purchaseorder';

export interface LoadPurchaseOrderDeps {
  dataverse: DataverseClient;
  related: RelatedRecordReader;
  tasks: Pick<PurchaseOrderTasks, 'header' | 'lines'>;
}

/**
 * Reads a purchase order in one request (header and lines); related records come from the worker's
 * reference-data cache or one query per entity set. Notes what F&O could not take: a Draft order, a
 * line without product (category-only), a service product, a line without unit or line number.
 */
export async function loadPurchaseOrder(
  deps: LoadPurchaseOrderDeps,
  purchaseOrderNumber: string,
): Promise<PurchaseOrderSnapshot> {
  const { dataverse, related, tasks } = deps;
  const found: SourceValues[] = [];
  for await (const row of dataverse.query(purchaseOrders, {
    filter: eq('msdyn_name', purchaseOrderNumber),
    select: unique([...columnsOf(purchaseOrders.schema), ...sourceFields(tasks.header)]),
    expand: [
      {
        navigation: LINES,
        select: unique([...columnsOf(purchaseOrderProducts.schema), ...sourceFields(tasks.lines)]),
      },
    ],
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
  const row = found[0]!;
  const header = Object.fromEntries(Object.entries(row).filter(([name]) => !name.startsWith(LINES)));
  const lines =
    Array.isArray(row[LINES]) && !(`${LINES}@odata.nextLink` in row)
      ? (row[LINES] as unknown[]).map((line) => purchaseOrderProducts.schema.parse(line) as SourceValues)
      : await linesOf(dataverse, String(row.msdyn_purchaseorderid));

  const [headerRelated] = await related.resolve([header], requiredLookups(tasks.header));
  const linesRelated = await related.resolve(lines, requiredLookups(tasks.lines), {
    skip: new Set([PARENT_LOOKUP]),
    extraFields: { products: ['msdyn_fieldserviceproducttype'] },
  });
  const vendor = headerRelated?.msdyn_vendor;
  const problems: string[] = [];
  if (row.msdyn_systemstatus === PurchaseOrderSystemStatus.Draft)
    problems.push('it is Draft in Field Service: submit it first');
  if (!vendor?.accountnumber) problems.push('it has no vendor account with an account number');
  lines.forEach((line, index) => {
    const name = `line ${String(line.msdyn_lineorder ?? `#${index + 1}`)}`;
    const product = linesRelated[index]?.msdyn_product;
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
    orderId: String(row.msdyn_purchaseorderid),
    purchaseOrderNumber,
    vendorAccount: typeof vendor?.accountnumber === 'string' ? vendor.accountnumber : undefined,
    problems,
    owned: ownedValuesOf(tasks, header, lines),
    records: {
      header: { record: header, related: headerRelated },
      lines: {
        [purchaseOrderProducts.entitySet]: lines.map((record, index) => ({
          record,
          related: linesRelated[index],
        })),
      },
    },
  };
}

/** Dataverse may page an expanded collection; then the lines are queried by order. */
async function linesOf(dataverse: DataverseClient, orderId: string): Promise<SourceValues[]> {
  const rows: SourceValues[] = [];
  for await (const line of dataverse.query(purchaseOrderProducts, {
    filter: eq('_msdyn_purchaseorder_value', guid(orderId)),
  })) {
    rows.push(line);
  }
  return rows;
}
