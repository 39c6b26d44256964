import { financeOwnedDifferences } from '../../activities/reconcile/purchase-orders/compare';
import { purchaseOrderTasks } from '../../activities/purchase-order/purchase-order-tasks';
import type { PurchaseOrderHeader, PurchaseOrderLine } from '../../connectors/entities/finance';
import { loadMappingProject } from '../../mappings/project/loader';
import { connectorCatalog } from '../../connectors/entities/catalog';

// What "Field Service shows F&O's order" means once the workflow has ended: F&O invoices a received order
// afterwards (vendor invoicing, which the sandbox does not model), and the workflow never follows it there.
const tasks = purchaseOrderTasks(loadMappingProject('standard', connectorCatalog()));

const order = (status: PurchaseOrderHeader['PurchaseOrderStatus']): PurchaseOrderHeader => ({
  dataAreaId: 'usmf',
  PurchaseOrderNumber: 'PO-1',
  OrderVendorAccountNumber: 'V-1000',
  CurrencyCode: 'USD',
  DocumentApprovalStatus: 'Confirmed',
  PurchaseOrderStatus: status,
});
const line = (status: PurchaseOrderLine['PurchaseOrderLineStatus']): PurchaseOrderLine => ({
  dataAreaId: 'usmf',
  PurchaseOrderNumber: 'PO-1',
  LineNumber: 1,
  ProductNumber: 'P-1000',
  OrderedPurchaseQuantity: 10,
  PurchasePrice: 18,
  LineAmount: 171,
  LineDiscountAmount: 0,
  LineDiscountPercentage: 5,
  PurchaseOrderLineStatus: status,
});

/** A Field Service order as the workflow left it when F&O had received everything. */
const receivedInFieldService = {
  header: {
    msdyn_name: 'PO-1',
    msdyn_systemstatus: 690970003,
    msdyn_approvalstatus: 690970000,
    msdyn_documentapprovalstatus: 192350005,
    msdyn_purchaseorderstatus: 192350002,
  },
  lines: new Map([
    [
      1,
      {
        msdyn_lineorder: 1,
        msdyn_quantity: 10,
        msdyn_unitcost: 18,
        msdyn_lineamount: 171,
        msdyn_discountamount: 0,
        msdyn_discountpercentage: 5,
        msdyn_itemstatus: 690970001,
        msdyn_purchaseorderlinestatus: 192350002,
      },
    ],
  ]),
};

test('an order F&O invoiced after receiving it is converged where Field Service shows it received', () => {
  expect(
    financeOwnedDifferences(tasks, receivedInFieldService, order('Invoiced'), [line('Invoiced')]),
  ).toEqual([]);
  expect(
    financeOwnedDifferences(tasks, receivedInFieldService, order('Received'), [line('Received')]),
  ).toEqual([]);
});

test('any other status F&O has and Field Service does not show is a difference, named in both vocabularies', () => {
  expect(
    financeOwnedDifferences(tasks, receivedInFieldService, order('Canceled'), [line('Received')]),
  ).toEqual([
    {
      owner: 'finance',
      field: 'msdyn_systemstatus',
      fieldService: 690970003,
      finance: 690970002,
      source: { field: 'PurchaseOrderStatus', value: 'Canceled' },
    },
    {
      owner: 'finance',
      field: 'msdyn_purchaseorderstatus',
      fieldService: 192350002,
      finance: 192350004,
      source: { field: 'PurchaseOrderStatus', value: 'Canceled' },
    },
  ]);
});
