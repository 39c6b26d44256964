import type { Client } from '@temporalio/client';
import { decideInvoicing, type DecisionOutcome } from '../../client/starters/work-order-decision';
import { type DataverseClient } from '../../connectors';
import { InvoicingDecision, systemUsers, WorkOrderSystemStatus } from '../../connectors/entities/dataverse';
import type { FieldServiceDecision } from './contract';

interface DecisionColumns {
  msdyn_systemstatus: number | null;
  fsfo_invoicingdecision?: number | null;
  fsfo_invoicingdecisionreason?: string | null;
}

/**
 * The decision on invoicing a work order row carries, by `userId` (who changed the row); none on a
 * Closed-Posted work order, which has nothing left to decide (an approval stays on it as the record).
 */
export function fieldServiceDecision(
  row: DecisionColumns,
  userId: string | null | undefined,
): FieldServiceDecision | undefined {
  if (!userId || row.msdyn_systemstatus === WorkOrderSystemStatus.ClosedPosted) return undefined;
  const reason = row.fsfo_invoicingdecisionreason?.trim() || undefined;
  switch (row.fsfo_invoicingdecision) {
    case InvoicingDecision.Approved:
      return { decision: 'approve', userId };
    case InvoicingDecision.Rejected:
      return { decision: 'reject', reason, userId };
    default:
      return undefined;
  }
}

/**
 * Sends a Field Service decision to the work order's workflow with its author as Dataverse knows them
 * (name, e-mail, Entra object id: one request), which the approvers list is checked against.
 */
export async function takeFieldServiceDecision(
  client: Client,
  dataverse: DataverseClient,
  workOrderNumber: string,
  { decision, reason, userId }: FieldServiceDecision,
): Promise<DecisionOutcome> {
  const user = await dataverse.retrieve(systemUsers, userId);
  const name = user.fullname ?? user.systemuserid;
  return decideInvoicing(client, workOrderNumber, {
    decision,
    reason,
    by: user.domainname ? `${name} (${user.domainname})` : name,
    user: {
      id: user.systemuserid,
      email: user.domainname ?? undefined,
      objectId: user.azureactivedirectoryobjectid ?? undefined,
    },
  });
}

/** The log line of a decision's outcome, for the watcher's and the webhook's logs. */
export function describeDecision(
  workOrderNumber: string,
  { decision }: FieldServiceDecision,
  outcome: DecisionOutcome,
): string {
  const what = `Field Service decision to ${decision} invoicing of work order ${workOrderNumber}`;
  return outcome.outcome === 'taken' ? `${what}: taken` : `${what}: ${outcome.outcome}: ${outcome.reason}`;
}
