import { eq } from '../../connectors';
import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import {
  FieldServiceProductType,
  inventoryJournals,
  purchaseOrderProducts,
  purchaseOrderReceiptProducts,
  purchaseOrderReceipts,
} from '../../connectors/entities/dataverse';
import { type LookupBinding, mapRecord } from '../../mappings/engine';
import { businessFailure } from '../business-failure';
import { dataverseTableOf } from '../dataverse-tables';
import type { ProductReceiptNotice } from './contract';
import { type FieldServiceOrder, readFieldServiceOrder } from './field-service-order';
import type { PurchaseOrderTasks } from './purchase-order-tasks';

type Found = { id: string; row: Record<string, unknown> } | undefined;

/** Finds the rows a receipt's bindings point at: the order and its lines at hand, anything else by one query. */
class ReceiptTargets {
  readonly #cache = new Map<string, Found>();

  constructor(
    private readonly dataverse: DataverseClient,
    private readonly order: FieldServiceOrder,
  ) {}

  async find({ entity, field, value }: LookupBinding): Promise<Found> {
    if (entity === 'msdyn_purchaseorders') {
      const header = this.order.header;
      return { id: String(header.msdyn_purchaseorderid), row: header };
    }
    if (entity === 'msdyn_purchaseorderproducts') {
      const line = this.order.lines.get(Number(value));
      return line && { id: String(line.msdyn_purchaseorderproductid), row: line };
    }
    const cacheKey = `${entity}|${field}|${String(value)}`;
    if (!this.#cache.has(cacheKey)) {
      const table = dataverseTableOf(entity);
      let found: Found;
      for await (const row of this.dataverse.query(table, { filter: eq(field, value as string), top: 1 })) {
        found = { id: String(row[table.primaryKey]), row };
      }
      this.#cache.set(cacheKey, found);
    }
    return this.#cache.get(cacheKey);
  }
}

const bind = (entity: string, id: string) => `/${entity}(${id})`;

/**
 * Records one posted F&O product receipt in Field Service, exactly once: a receipt with this RecordId
 * already there means it was recorded. Otherwise one change set creates the receipt, its lines (as the
 * receipt tasks map them), an inventory journal per stocked line at its receiving warehouse (Field
 * Service's stock rises by the journal) and the lines' received quantities. A receipt line for a
 * purchase order line Field Service does not have is refused, and nothing is written.
 */
export async function recordProductReceipt(
  dataverse: DataverseClient,
  tasks: Pick<PurchaseOrderTasks, 'receiptHeader' | 'receiptLines'>,
  purchaseOrderNumber: string,
  receipt: ProductReceiptNotice,
): Promise<'recorded' | 'already-recorded'> {
  for await (const _existing of dataverse.query(purchaseOrderReceipts, {
    filter: eq('msdyn_recordid', receipt.recordId),
    select: ['msdyn_purchaseorderreceiptid'],
    top: 1,
  })) {
    return 'already-recorded';
  }
  const order = await readFieldServiceOrder(dataverse, purchaseOrderNumber);
  const targets = new ReceiptTargets(dataverse, order);
  const problems: string[] = [];
  const bodyOf = async (bindings: Record<string, LookupBinding>, values: Record<string, unknown>) => {
    const body: Record<string, unknown> = { ...values };
    for (const [lookup, binding] of Object.entries(bindings)) {
      if (binding.entity === purchaseOrderReceipts.entitySet) {
        body[`${lookup}@odata.bind`] = '$1'; // the receipt created first in this change set
        continue;
      }
      const found = await targets.find(binding);
      if (found) body[`${lookup}@odata.bind`] = bind(binding.entity, found.id);
      else if (binding.entity === purchaseOrderProducts.entitySet)
        problems.push(`purchase order line ${String(binding.value)} does not exist in Field Service`);
      else
        problems.push(
          `Field Service has no ${binding.entity} with ${binding.field} ${String(binding.value)}`,
        );
    }
    return body;
  };

  const header = mapRecord(tasks.receiptHeader, receipt.header);
  const operations = [
    dataverse.createOperation(purchaseOrderReceipts, await bodyOf(header.bindings, header.values)),
  ];
  const journals = [];
  const received = new Map<number, number>();
  for (const { record, notice } of receipt.lines) {
    const line = mapRecord(tasks.receiptLines, record);
    operations.push(
      dataverse.createOperation(purchaseOrderReceiptProducts, await bodyOf(line.bindings, line.values)),
    );
    const orderLine = order.lines.get(notice.lineNumber);
    if (!orderLine) continue;
    received.set(notice.lineNumber, (received.get(notice.lineNumber) ?? 0) + notice.quantity);
    const product = notice.itemNumber
      ? await targets.find({ entity: 'products', field: 'productnumber', value: notice.itemNumber })
      : undefined;
    if (product?.row.msdyn_fieldserviceproducttype !== FieldServiceProductType.Inventory) continue;
    const warehouse = notice.warehouse
      ? await targets.find({
          entity: 'msdyn_warehouses',
          field: 'msdyn_warehouseidentifier',
          value: notice.warehouse,
        })
      : undefined;
    const warehouseId =
      warehouse?.id ??
      orderLine._msdyn_associatetowarehouse_value ??
      order.header._msdyn_receivetowarehouse_value;
    if (typeof warehouseId !== 'string') {
      problems.push(`purchase order line ${notice.lineNumber} has no receiving warehouse in Field Service`);
      continue;
    }
    journals.push(
      dataverse.createOperation(inventoryJournals, {
        msdyn_name: `Product receipt ${receipt.receiptNumber} line ${notice.lineNumber}`,
        msdyn_quantity: notice.quantity,
        msdyn_transactiondate: String(receipt.header.ProductReceiptDate),
        'msdyn_product@odata.bind': bind('products', product.id),
        'msdyn_warehouse@odata.bind': bind('msdyn_warehouses', warehouseId),
        ...(typeof orderLine._msdyn_unit_value === 'string'
          ? { 'msdyn_unit@odata.bind': bind('uoms', orderLine._msdyn_unit_value) }
          : {}),
      }),
    );
  }
  if (problems.length > 0)
    throw businessFailure(
      `Product receipt ${receipt.receiptNumber} of purchase order ${purchaseOrderNumber} cannot be recorded: ` +
        `${[...new Set(problems)].join('; ')}. Nothing was written; fix the order in Field Service or F&O, then retry`,
      'InvalidReceipt',
    );
  for (const [lineNumber, quantity] of received) {
    const line = order.lines.get(lineNumber)!;
    operations.push(
      dataverse.updateOperation(
        purchaseOrderProducts,
        String(line.msdyn_purchaseorderproductid),
        { msdyn_qtyreceived: Number(line.msdyn_qtyreceived ?? 0) + quantity },
        line['@odata.etag'],
      ),
    );
  }
  await dataverse.batch([[...operations, ...journals]]);
  return 'recorded';
}
