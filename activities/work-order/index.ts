import type { SalesOrderBounds } from '../../config/config';
import { type Connectors, D365Error } from '../../connectors';
import { WorkOrderSystemStatus } from '../../connectors/entities/dataverse';
import type { MappingProject } from '../../mappings/project/merge';
import { businessFailure, withFailureTranslation } from '../business-failure';
import { ReferenceData } from '../reference-data';
import { RelatedRecordReader } from '../related-records';
import type { WorkOrderActivities } from './contract';
import { loadWorkOrder } from './load-work-order';
import { ensureInFinance, requireInFinance } from './master-data';
import { recordInvoice } from './record-invoice';
import { findSalesInvoice, PostedInvoiceIndex } from './sales-invoice';
import { upsertSalesOrder } from './sales-order';
import { markSalesOrderCanceled } from './sales-order-canceled';
import { closeWorkOrder, markWorkOrderInvoiced, setWorkOrderStatus } from './work-order-status';
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

  return {
    loadWorkOrder: (workOrderNumber) =>
      withFailureTranslation(`Work order ${workOrderNumber}`, () =>
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
        }),
      ),

    ensureCustomers: (snapshot) =>
      withFailureTranslation(`Customers of work order ${snapshot.workOrderNumber}`, async () => {
        const { customers } = tasks();
        if (customers) {
          await ensureInFinance(finance, customers, snapshot.records.accounts, (key) => `customer ${key}`);
        }
      }),

    ensureReleasedProducts: (snapshot) =>
      withFailureTranslation(`Products of work order ${snapshot.workOrderNumber}`, async () => {
        const { products } = tasks();
        if (products) {
          await ensureInFinance(finance, products, snapshot.records.products, (key) => `product ${key}`);
        } else {
          const numbers = snapshot.records.products.map((product) => String(product.record.productnumber));
          await requireInFinance(finance, 'SellableReleasedProducts', 'ProductNumber', numbers);
        }
      }),

    upsertSalesOrder: (snapshot) =>
      withFailureTranslation(`Sales order of work order ${snapshot.workOrderNumber}`, () =>
        upsertSalesOrder(finance, tasks(), bounds, snapshot),
      ),

    closeWorkOrder: (snapshot) =>
      withFailureTranslation(`Closing work order ${snapshot.workOrderNumber}`, () =>
        closeWorkOrder(dataverse, snapshot.workOrderId, snapshot.workOrderNumber),
      ),

    returnWorkOrderToTechnician: ({ snapshot }) =>
      withFailureTranslation(`Returning work order ${snapshot.workOrderNumber}`, () =>
        setWorkOrderStatus(dataverse, snapshot.workOrderId, WorkOrderSystemStatus.OpenInProgress),
      ),

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

    recordInvoice: ({ snapshot, invoice }) =>
      withFailureTranslation(`Invoice ${invoice.invoiceNumber}`, () =>
        recordInvoice({ dataverse, reference, tasks: tasks() }, invoice, {
          accounts: snapshot.records.accounts.map((source) => source.record),
          products: snapshot.records.products.map((source) => source.record),
        }).then(({ invoiceId }) => invoiceId),
      ),

    markWorkOrderInvoiced: ({ snapshot, invoice }) =>
      withFailureTranslation(`Marking work order ${snapshot.workOrderNumber} invoiced`, () =>
        markWorkOrderInvoiced(dataverse, snapshot.workOrderId, invoice.invoiceNumber),
      ),
  } satisfies WorkOrderActivities;
}
