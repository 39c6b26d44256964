export { doctor } from './doctor';
