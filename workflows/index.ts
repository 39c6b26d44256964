export { doctor } from './doctor';
export { workOrderInvoicing } from './work-order/workflow';
