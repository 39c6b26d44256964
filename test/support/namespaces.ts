/**
 * Namespaces of their own on the run's dev server (registered by `test/global-setup.ts`) for test files
 * that create the product's schedules under their fixed IDs (`sync-warehouses`, `sync-on-hand`, ...).
 * Jest runs files in parallel: two files creating, running and deleting one schedule would run, pause or
 * delete each other's. A namespace keeps the product's IDs and behaviour as they are in production.
 */
export const TEST_NAMESPACES = {
  onHandSync: 'fsfo-test-on-hand-sync',
  inventoryConvergence: 'fsfo-test-inventory-convergence',
  reconcileSalesInvoices: 'fsfo-test-reconcile-sales-invoices',
} as const;
