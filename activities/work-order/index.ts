import type { SalesOrderBounds } from '../../config/config';
import { type Connectors, D365Error } from '../../connectors';
import type { MappingProject } from '../../mappings/project/merge';
import { businessFailure, withFailureTranslation } from '../business-failure';
import { ReferenceData } from '../reference-data';
import { RelatedRecordReader } from '../related-records';
import type { WorkOrderActivities } from './contract';
import { loadWorkOrder, readWorkOrderVersion } from './load-work-order';
import { findSalesInvoice, PostedInvoiceIndex } from './sales-invoice';
import { markSalesOrderCanceled } from './sales-order-canceled';
import { syncReadWorkOrder } from './sync-sales-order';
import { recordWorkOrderInvoice } from './work-order-invoice';
import { closeWorkOrder, returnToTechnician } from './work-order-status';
import { workOrderTasks } from './work-order-tasks';
import { tasksWhenUsed } from '../tasks-when-used';

/** The work order workflow's activities, bound to the Dynamics 365 clients and the mapping project. */
export function createWorkOrderActivities(
  { dataverse, finance }: Connectors,
  project: MappingProject,
  bounds: SalesOrderBounds,
) {
  const tasks = tasksWhenUsed(
    project,
    { name: 'work order', templates: ['work-orders-to-sales-orders', 'sales-invoices-to-field-service'] },
    workOrderTasks,
  );
  const reference = new ReferenceData(dataverse);
  const related = new RelatedRecordReader(dataverse, reference);
  const postedInvoices = new PostedInvoiceIndex(finance);

  const load = (workOrderNumber: string) =>
    loadWorkOrder({ dataverse, related, tasks: tasks() }, workOrderNumber).catch((error: unknown) => {
      // A row the integration cannot read, e.g. a product without a product number: a data problem.
      if (error instanceof D365Error && error.kind === 'invalid-response') {
        throw businessFailure(
          `Work order ${workOrderNumber}: Field Service returned a record the integration cannot read ` +
            `(${error.message}); fix that record in Field Service, then retry`,
          'UnreadableRecord',
        );
      }
      throw error;
    });

  return {
    syncSalesOrder: ({ workOrderNumber, approved }) =>
      withFailureTranslation(`Work order ${workOrderNumber}`, async () =>
        syncReadWorkOrder({ finance, tasks: tasks(), bounds }, await load(workOrderNumber), approved),
      ),

    readWorkOrderVersion: (workOrderNumber) =>
      withFailureTranslation(`Work order ${workOrderNumber}`, () =>
        readWorkOrderVersion(dataverse, tasks(), workOrderNumber),
      ),

    closeWorkOrder: (workOrder) =>
      withFailureTranslation(`Closing work order ${workOrder.workOrderNumber}`, () =>
        closeWorkOrder(dataverse, workOrder),
      ),

    returnWorkOrderToTechnician: ({ workOrderNumber, workOrderId }) =>
      withFailureTranslation(`Returning work order ${workOrderNumber}`, async () => {
        await returnToTechnician(dataverse, workOrderId);
        // The status moves to the lines too, so the version is read after the write.
        return readWorkOrderVersion(dataverse, tasks(), workOrderNumber);
      }),

    markSalesOrderCanceled: ({ salesOrderNumber }) =>
      withFailureTranslation(`Marking sales order ${salesOrderNumber} cancelled`, () =>
        markSalesOrderCanceled(finance, salesOrderNumber),
      ),

    // The shared index covers the worker's company; an order of another company is asked directly.
    findSalesInvoice: ({ salesOrderNumber, legalEntity, signalled }) =>
      withFailureTranslation(`Invoice of sales order ${salesOrderNumber}`, async () =>
        signalled ||
        legalEntity.toLowerCase() !== finance.company ||
        (await postedInvoices.isInvoiced(salesOrderNumber))
          ? findSalesInvoice(finance, salesOrderNumber, legalEntity)
          : null,
      ),

    recordInvoice: ({ workOrderNumber, workOrderId, workOrderEtag, invoice, atHand }) =>
      withFailureTranslation(`Invoice ${invoice.invoiceNumber}`, async () =>
        recordWorkOrderInvoice(
          { dataverse, finance, reference, tasks: tasks() },
          {
            workOrderId:
              workOrderId ?? (await readWorkOrderVersion(dataverse, tasks(), workOrderNumber)).workOrderId,
            workOrderEtag,
            invoice,
            atHand,
          },
        ),
      ),
  } satisfies WorkOrderActivities;
}
