import { z } from 'zod';
import { dataverseRow, guid, text, yesNo } from './columns';
import { dataverseTable } from './table';

/** `msdyn_warehouse`; `msdyn_name` carries the F&O `WarehouseId` (the legacy integration key). */
export const warehouseSchema = dataverseRow({
  msdyn_warehouseid: guid,
  msdyn_name: z.string(),
  msdyn_description: text.optional(),
  /** Dual-write's key for the F&O warehouse. */
  msdyn_warehouseidentifier: text.optional(),
  /** Is Maintained Externally; logical name UNCONFIRMED (docs/dynamics-365-templates.md#columns-the-integration-solutions-add), as the sandbox names it. */
  msdynce_ismaintainedexternally: yesNo.optional(),
});
export type Warehouse = z.infer<typeof warehouseSchema>;
export const warehouses = dataverseTable('msdyn_warehouses', 'msdyn_warehouseid', warehouseSchema);
