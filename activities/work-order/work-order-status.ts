import type { DataverseClient } from '../../connectors/dataverse/dataverse-client';
import { WorkOrderSystemStatus, workOrders } from '../../connectors/entities/dataverse';
import { D365Error } from '../../connectors';
import { businessFailure } from '../business-failure';

/**
 * Sends a rejected work order back to the technician (Open-In Progress), whatever version it is at
 * (`If-Match: *` never creates), and clears the decision on invoicing a service manager set in Field
 * Service, so the next round starts undecided (the rejection's reason column stays for the technician).
 */
export async function returnToTechnician(dataverse: DataverseClient, workOrderId: string): Promise<void> {
  await dataverse.update(
    workOrders,
    workOrderId,
    { msdyn_systemstatus: WorkOrderSystemStatus.OpenInProgress, fsfo_invoicingdecision: null },
    '*',
  );
}

/**
 * Closed-Posted after approval, written on the ETag the approver's order was synced from: one request
 * when nothing changed since. A 412 means the work order changed meanwhile; then it is read: one cancelled
 * in Field Service (the approval and the cancellation crossed) stays cancelled, any other is closed on the
 * version just read, and a change between that read and the write fails the write instead of being
 * overwritten. Returns the header's ETag after the write.
 */
export async function closeWorkOrder(
  dataverse: DataverseClient,
  workOrder: { workOrderId: string; workOrderNumber: string; etag: string },
): Promise<string> {
  const close = async (etag: string) => {
    const row = await dataverse.update(
      workOrders,
      workOrder.workOrderId,
      { msdyn_systemstatus: WorkOrderSystemStatus.ClosedPosted },
      etag,
    );
    return String(row['@odata.etag']);
  };
  try {
    return await close(workOrder.etag);
  } catch (error) {
    if (!(error instanceof D365Error) || error.kind !== 'precondition-failed') throw error;
  }
  const current = await dataverse.retrieve(workOrders, workOrder.workOrderId, {
    select: ['msdyn_systemstatus'],
  });
  if (current.msdyn_systemstatus === WorkOrderSystemStatus.ClosedCanceled) {
    throw businessFailure(
      `Work order ${workOrder.workOrderNumber} was cancelled in Field Service after invoicing was approved, so it was not ` +
        'closed as posted; cancel its sales order in F&O, or reopen the work order in Field Service and retry',
      'WorkOrderCanceled',
    );
  }
  return close(String(current['@odata.etag']));
}

/**
 * The column the integration adds to the work order for the F&O invoice that billed it; its logical
 * name is the sandbox's choice, like the other `msdynce_` columns (docs/dynamics-365-templates.md#columns-the-integration-solutions-add).
 */
export const INVOICE_NUMBER_COLUMN = 'msdynce_invoicenumber';
