import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { WorkOrderSystemStatus, workOrders } from '../../connectors/entities/dataverse';
import { businessFailure } from '../business-failure';

/** Moves a work order to a system status, whatever version it is at (`If-Match: *` never creates). */
export async function setWorkOrderStatus(
  dataverse: DataverseClient,
  workOrderId: string,
  status: WorkOrderSystemStatus,
): Promise<void> {
  await dataverse.update(workOrders, workOrderId, { msdyn_systemstatus: status }, '*');
}

/**
 * Closed-Posted after approval, from the version just read: a work order cancelled in Field Service since
 * (the approval and the cancellation crossed) stays cancelled, and a change between this read and the write
 * fails the write instead of being overwritten.
 */
export async function closeWorkOrder(
  dataverse: DataverseClient,
  workOrderId: string,
  workOrderNumber: string,
): Promise<void> {
  const current = await dataverse.retrieve(workOrders, workOrderId, { select: ['msdyn_systemstatus'] });
  if (current.msdyn_systemstatus === WorkOrderSystemStatus.ClosedCanceled) {
    throw businessFailure(
      `Work order ${workOrderNumber} was cancelled in Field Service after invoicing was approved, so it was not ` +
        'closed as posted; cancel its sales order in F&O, or reopen the work order in Field Service and retry',
      'WorkOrderCanceled',
    );
  }
  await dataverse.update(
    workOrders,
    workOrderId,
    { msdyn_systemstatus: WorkOrderSystemStatus.ClosedPosted },
    String(current['@odata.etag']),
  );
}

/**
 * The column the integration adds to the work order for the F&O invoice that billed it; its logical
 * name is the sandbox's choice, like the other `msdynce_` columns (docs/dynamics-365-templates.md#columns-the-integration-solutions-add).
 */
export const INVOICE_NUMBER_COLUMN = 'msdynce_invoicenumber';

export async function markWorkOrderInvoiced(
  dataverse: DataverseClient,
  workOrderId: string,
  invoiceNumber: string,
): Promise<void> {
  await dataverse.update(workOrders, workOrderId, { [INVOICE_NUMBER_COLUMN]: invoiceNumber }, '*');
}
