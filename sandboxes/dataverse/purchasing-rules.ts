import type { SandboxResponse } from '../http/types';
import type { DataverseData } from './dataverse-data';
import { dataverseError } from './errors';
import type { Row } from './schema';

const receiptTables = new Set(['msdyn_purchaseorderreceipts', 'msdyn_purchaseorderreceiptproducts']);

/**
 * With Supply Chain Management, purchase order receipts come from its product receipts only (dual-write
 * writes them with F&O's RecordId); a receipt without one is a Field Service user's, which is refused.
 */
export function refuseReceiptCreatedInFieldService(entitySet: string, row: Row): SandboxResponse | undefined {
  if (!receiptTables.has(entitySet) || (row.msdyn_recordid !== undefined && row.msdyn_recordid !== null))
    return undefined;
  return dataverseError(
    400,
    '0x80040265',
    'Purchase order receipts are created by Supply Chain Management and cannot be created in Field Service.',
  );
}

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * Field Service recalculates a purchase order's total from its lines' amounts whenever a line is written
 * or deleted, which updates the order (its `modifiedon` moves, as for any rollup recalculation).
 */
export function recalculatePurchaseOrder(data: DataverseData, entitySet: string, line: Row): void {
  if (entitySet !== 'msdyn_purchaseorderproducts' || typeof line.msdyn_purchaseorder !== 'string') return;
  const order = data.get('msdyn_purchaseorders', line.msdyn_purchaseorder);
  if (!order) return;
  const total = data
    .rows('msdyn_purchaseorderproducts')
    .filter((row) => row.msdyn_purchaseorder === line.msdyn_purchaseorder)
    .reduce((sum, row) => sum + Number(row.msdyn_lineamount ?? 0), 0);
  const previous = { ...order };
  Object.assign(order, {
    msdyn_totalamount: round(total),
    modifiedon: data.clock.now(),
    versionnumber: data.nextVersion(),
  });
  data.updated('msdyn_purchaseorders', order, ['msdyn_totalamount'], previous);
}
