import type { z } from 'zod';
import { financeRecord, text } from './columns';
import { financeEntity } from './entity';

/** `Warehouses`. */
export const financeWarehouseSchema = financeRecord({
  WarehouseId: text,
  WarehouseName: text,
  OperationalSiteId: text.optional(),
});
export type FinanceWarehouse = z.infer<typeof financeWarehouseSchema>;
export const financeWarehouses = financeEntity('Warehouses', ['WarehouseId'], financeWarehouseSchema);
