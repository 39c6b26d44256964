import type { Connectors } from '../../connectors';
import type { MappingProject } from '../../mappings/project/merge';
import { withFailureTranslation } from '../business-failure';
import { ReferenceData } from '../reference-data';
import { RelatedRecordReader } from '../related-records';
import { ChangedOrderIndex } from './changed-order-index';
import type { PurchaseOrderActivities } from './contract';
import { readFinancePurchaseOrder } from './finance-order-state';
import { syncPurchaseOrderToFinance } from './finance-purchase-order';
import { updateFieldServicePurchaseOrder } from './field-service-status';
import { loadPurchaseOrder } from './load-purchase-order';
import { tasksWhenUsed } from '../tasks-when-used';
import { purchaseOrderTasks } from './purchase-order-tasks';
import { recordProductReceipt } from './record-receipt';

/** The purchase order workflow's activities, bound to the Dynamics 365 clients and the mapping project. */
export function createPurchaseOrderActivities({ dataverse, finance }: Connectors, project: MappingProject) {
  const tasks = tasksWhenUsed(
    project,
    {
      name: 'purchase order',
      templates: ['purchase-orders-to-finance', 'product-receipts-to-field-service'],
    },
    purchaseOrderTasks,
  );
  const related = new RelatedRecordReader(dataverse, new ReferenceData(dataverse));
  const changedOrders = new ChangedOrderIndex(finance);

  return {
    loadPurchaseOrder: (number) =>
      withFailureTranslation(`Purchase order ${number}`, () =>
        loadPurchaseOrder({ dataverse, related, tasks: tasks() }, number),
      ),

    syncPurchaseOrderToFinance: (snapshot) =>
      withFailureTranslation(`F&O purchase order ${snapshot.purchaseOrderNumber}`, () =>
        syncPurchaseOrderToFinance(finance, tasks(), snapshot),
      ),

    readFinancePurchaseOrder: (number) =>
      withFailureTranslation(`F&O purchase order ${number}`, () => readFinancePurchaseOrder(finance, number)),

    hasFinancePurchaseOrderChanged: ({ purchaseOrderNumber, modifiedOn }) =>
      withFailureTranslation(`F&O purchase order ${purchaseOrderNumber}`, () =>
        changedOrders.changedSince(purchaseOrderNumber, modifiedOn),
      ),

    updateFieldServicePurchaseOrder: (input) =>
      withFailureTranslation(`Purchase order ${input.order.purchaseOrderNumber} in Field Service`, () =>
        updateFieldServicePurchaseOrder(dataverse, tasks(), input),
      ),

    recordProductReceipt: ({ purchaseOrderNumber, receipt }) =>
      withFailureTranslation(`Product receipt ${receipt.receiptNumber}`, () =>
        recordProductReceipt(dataverse, tasks(), purchaseOrderNumber, receipt),
      ),
  } satisfies PurchaseOrderActivities;
}
