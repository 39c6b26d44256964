export { doctor } from './doctor';
export { workOrderInvoicing } from './work-order/workflow';
export { agreementInvoicing } from './agreement-invoice/workflow';
export { inventoryDocumentSync } from './inventory/workflow';
export { purchaseOrderSync } from './purchase-order/workflow';
export { invoiceWatcher } from './watchers/invoice-watcher';
export { workOrderWatcher } from './watchers/work-order-watcher';
export { masterDataSync } from './master-data/sync';
