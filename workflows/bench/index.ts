export { floorInvoicing } from './floor';
