export * from './classify-response';
export * from './d365-error';
export * from './network-error';
export * from './retry-after';
