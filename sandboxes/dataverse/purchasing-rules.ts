import type { SandboxResponse } from '../http/types';
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
