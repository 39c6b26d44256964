import { demoProducts, demoWarehouses } from './demo-catalog';

/**
 * The on-hand stock F&O's demo starts with (`finance-seed.ts` books the same levels): every inventory product
 * released in a warehouse's company.
 */
export const demoOnHand = demoWarehouses.flatMap((warehouse) =>
  demoProducts
    .filter((product) => product.type === 'Inventory' && product.companies.includes(warehouse.company))
    .map((product, index) => ({ warehouse, product, onHand: 20 + index * 15 })),
);
