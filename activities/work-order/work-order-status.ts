import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { WorkOrderSystemStatus, workOrders } from '../../connectors/entities/dataverse';

/** Moves a work order to a system status, whatever version it is at (`If-Match: *` never creates). */
export async function setWorkOrderStatus(
  dataverse: DataverseClient,
  workOrderId: string,
  status: WorkOrderSystemStatus,
): Promise<void> {
  await dataverse.update(workOrders, workOrderId, { msdyn_systemstatus: status }, '*');
}

/**
 * The column the integration adds to the work order for the F&O invoice that billed it; its logical
 * name is the sandbox's choice, like the other `msdynce_` columns (templates doc §5).
 */
export const INVOICE_NUMBER_COLUMN = 'msdynce_invoicenumber';

export async function markWorkOrderInvoiced(
  dataverse: DataverseClient,
  workOrderId: string,
  invoiceNumber: string,
): Promise<void> {
  await dataverse.update(workOrders, workOrderId, { [INVOICE_NUMBER_COLUMN]: invoiceNumber }, '*');
}
